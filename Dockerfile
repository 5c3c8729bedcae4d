# The AkkaExchange node (and, beside it, the load client the chaos Job runs), for deploy/k8s.
#   docker build -t <registry>/akkaexchange:<version> .
# Runs as a non-root user on a read-only root filesystem: the only writable paths are the volumes the
# StatefulSet mounts (/var/lib/akkaexchange for the node's lock file, /tmp for .NET's diagnostics socket).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# Restore first, from the project files alone, so that a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Messages/AkkaExchange.Messages.csproj src/Messages/
COPY src/Actors/AkkaExchange.Actors.csproj src/Actors/
COPY src/Backup/AkkaExchange.Backup.csproj src/Backup/
COPY src/Node/AkkaExchange.Node.csproj src/Node/
COPY src/LoadTest/AkkaExchange.LoadTest.csproj src/LoadTest/
RUN dotnet restore src/Node/AkkaExchange.Node.csproj && dotnet restore src/LoadTest/AkkaExchange.LoadTest.csproj
COPY src/ src/
RUN dotnet publish src/Node/AkkaExchange.Node.csproj -c Release --no-restore -o /out/node \
 && dotnet publish src/LoadTest/AkkaExchange.LoadTest.csproj -c Release --no-restore -o /out/loadtest

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0 AS runtime
# pg_basebackup: cluster-mode backups (--backup-dir) take PostgreSQL base backups (docs/runbooks/backup-restore.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/node/ /app/
COPY --from=build /out/loadtest/ /app/loadtest/
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    Exchange__DataDirectory=/var/lib/akkaexchange
# 8080: HTTP API, health probes, metrics, dashboard, bootstrap contact point; 2552: Akka.Remote (mutual TLS).
EXPOSE 8080 2552
# The .NET images' unprivileged user (APP_UID 1654).
USER 1654:1654
ENTRYPOINT ["dotnet", "/app/AkkaExchange.Node.dll"]
