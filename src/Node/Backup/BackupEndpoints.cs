using AkkaExchange.Backup;
using AkkaExchange.Node.Api;

namespace AkkaExchange.Node.Backup;

/// <summary>
/// <c>/admin/v1/backups</c> (admin token): <c>POST</c> takes a backup now and answers its manifest (201); <c>GET</c>
/// lists them, newest first (one that does not authenticate is listed with its problem), and the archived WAL beside
/// them (cluster mode); <c>POST {id}/verify</c>
/// decrypts every file and checks it against the manifest (422 with the reason when it does not).
/// </summary>
public static class BackupEndpoints
{
    public static void MapBackupEndpoints(this IEndpointRouteBuilder app)
    {
        var backups = app.MapGroup("/admin/v1/backups").AddEndpointFilter(AdminEndpoints.RequireAdminToken);
        backups.MapPost("", async (BackupService service, CancellationToken ct) =>
        {
            if (!service.Enabled) return Disabled();
            try
            {
                return Results.Json(Describe(await service.CreateAsync(ct)), ApiJson.Options, statusCode: 201);
            }
            catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
            {
                // The backup directory is full, gone or not ours: the reason, not a 500.
                return ApiResults.Error(503, $"backup failed: {e.Message}");
            }
        });
        backups.MapGet("", (BackupService service) =>
            !service.Enabled ? Disabled() : Results.Json(new
            {
                directory = service.Repository.Root,
                // The WAL the database archives here (cluster mode): how much, and the newest — what a restore reaches.
                wal = service.Repository.Wal.Names() is { Count: > 0 } wal ? new { files = wal.Count, newest = wal[^1] } : null,
                backups = service.Repository.List().Select(l => l.Manifest is { } m ? Describe(m) : new { id = l.Id, problem = l.Problem }),
            }, ApiJson.Options));
        backups.MapPost("/{id}/verify", async (string id, BackupService service, CancellationToken ct) =>
        {
            if (!service.Enabled) return Disabled();
            try
            {
                return Results.Json(Describe(await service.Repository.VerifyAsync(id, ct)), ApiJson.Options);
            }
            catch (BackupException e)
            {
                return ApiResults.Error(422, e.Message);
            }
        });
    }

    private static object Describe(BackupManifest m) => new
    {
        id = m.Id, createdAt = m.CreatedAt, kind = m.Kind, node = m.Node,
        files = m.Files.Select(f => new { name = f.Name, bytes = f.Bytes, sha256 = f.Sha256 }),
        journalSequences = m.JournalSequences,
        postgres = m.Postgres is { } p
            ? new { timeline = p.Timeline, startLsn = p.StartLsn, endLsn = p.EndLsn, startWalFile = p.StartWalFile, completedAt = p.CompletedAt, serverVersion = p.ServerVersion }
            : null,
    };

    private static IResult Disabled() => ApiResults.Error(409, "this node takes no backups: start it with --backup-dir and --backup-key-file");
}
