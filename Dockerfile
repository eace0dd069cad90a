# SmtpMock in a container: docker compose up, then point your app at localhost:2525.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SmtpMock.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
EXPOSE 2525
ENTRYPOINT ["dotnet", "smtpmock.dll"]
CMD ["serve", "--host", "0.0.0.0", "--port", "2525", "--store", "/data"]
