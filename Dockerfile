# SmtpMock in a container: docker compose up, then point your app at localhost:2525; the API and page are on localhost:8025.
# The CLI publishes as a native (AOT) executable, so the build stage needs clang and zlib.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/SmtpMock.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
WORKDIR /app
COPY --from=build /app/smtpmock .
COPY scenarios /scenarios
EXPOSE 2525 8025
ENTRYPOINT ["/app/smtpmock"]
CMD ["serve", "--host", "0.0.0.0", "--port", "2525", "--http-host", "0.0.0.0", "--store", "/data"]
