# SmtpMock in a container: docker compose up, then point your app at localhost:2525; the API and page are on localhost:8025.
# Stage 1 publishes the native (AOT) executable, which needs clang and zlib; stage 2 runs it on runtime-deps
# (no .NET runtime needed) as the image's non-root user "app".
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/SmtpMock.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /app/smtpmock /usr/local/bin/smtpmock
# The ready-made scenarios; mount your own folder over /scenarios (docker-compose.yml does).
COPY scenarios /scenarios
# Captured messages go to /data (<id>.eml + <id>.json): mount a folder there to keep them.
RUN mkdir /data && chown "$APP_UID" /data
USER $APP_UID
EXPOSE 2525 8025
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["smtpmock", "health", "--port", "2525"]
# Listening on 0.0.0.0 is in the ENTRYPOINT, so arguments you add (docker run IMAGE --scenario /scenarios/x.yaml,
# or compose's command:) go after it and cannot make the server listen on the container's loopback by mistake.
ENTRYPOINT ["smtpmock", "serve", "--host", "0.0.0.0", "--port", "2525", "--http-host", "0.0.0.0", "--http-port", "8025", "--store", "/data"]
CMD []
