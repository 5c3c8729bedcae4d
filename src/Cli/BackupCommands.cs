using System.CommandLine;
using System.Text.Json;
using AkkaExchange.Backup;
using Spectre.Console;

namespace AkkaExchange.Cli;

/// <summary>
/// <c>backup create|list|verify</c> through a node's admin API, and <c>restore</c>, which runs here: it decrypts a
/// backup from a directory (the node's, or the copy in the other location) into a new data directory for a node.
/// </summary>
public static class BackupCommands
{
    public static IEnumerable<Command> Build(CliContext cli)
    {
        var backup = new Command("backup", "the node's encrypted backups: take one, list them, verify one");
        var create = new Command("create", "takes a backup now and prints its manifest");
        create.SetAction(cli.Run(async (client, output, _, ct) => Show(output, [await client.PostAsync("/admin/v1/backups", null, ct)])));
        var list = new Command("list", "the backups, newest first");
        list.SetAction(cli.Run(async (client, output, _, ct) =>
            Show(output, [.. (await client.GetAsync("/admin/v1/backups", ct)).GetProperty("backups").EnumerateArray()])));
        var idArgument = new Argument<string>("id") { Description = "the backup's id (backup list)" };
        var verify = new Command("verify", "decrypts every file of a backup and checks it against its manifest") { idArgument };
        verify.SetAction(cli.Run(async (client, output, parse, ct) =>
            Show(output, [await client.PostAsync($"/admin/v1/backups/{Uri.EscapeDataString(parse.GetValue(idArgument)!)}/verify", null, ct)])));
        backup.Subcommands.Add(create);
        backup.Subcommands.Add(list);
        backup.Subcommands.Add(verify);
        yield return backup;

        var from = new Option<string>("--from") { Description = "the backup directory (the node's --backup-dir, or its copy)", Required = true };
        var id = new Option<string>("--id") { Description = "the backup's id, or 'latest'", DefaultValueFactory = _ => "latest" };
        var to = new Option<string>("--to") { Description = "a new data directory to start a node on (--data-dir)", Required = true };
        var keyFile = new Option<string>("--key-file") { Description = "the backup key file (the node's --backup-key-file)", Required = true };
        var restore = new Command("restore", "decrypts a backup into a new data directory, checking every byte; runs here, needs no node") { from, id, to, keyFile };
        restore.SetAction(cli.Run(async (_, output, parse, ct) =>
        {
            try
            {
                var repository = new BackupRepository(parse.GetValue(from)!, BackupKey.Load(parse.GetValue(keyFile)!));
                var wanted = parse.GetValue(id)!;
                if (wanted == "latest")
                    wanted = repository.List().FirstOrDefault(l => l.Manifest is not null)?.Id ?? throw new CliException(1, $"no backup in {repository.Root}");
                var manifest = await repository.RestoreAsync(wanted, parse.GetValue(to)!, ct);
                output.Show(manifest, () =>
                {
                    var table = Output.Table("file", "bytes", "sha256");
                    foreach (var f in manifest.Files) table.AddRow(f.Name, f.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Sha256);
                    return table;
                }, $"restored backup {manifest.Id} into {Path.GetFullPath(parse.GetValue(to)!)}: start a node with --data-dir on it");
            }
            catch (BackupException e)
            {
                throw new CliException(1, e.Message);
            }
        }));
        yield return restore;
    }

    private static void Show(Output output, JsonElement[] backups) => output.Show(backups.Length == 1 ? backups[0] : backups, () =>
    {
        var table = Output.Table("id", "kind", "node", "bytes", "symbols", "problem");
        foreach (var b in backups)
        {
            var bytes = b.TryGetProperty("files", out var files) ? files.EnumerateArray().Sum(f => f.GetProperty("bytes").GetInt64()).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            var symbols = b.TryGetProperty("journalSequences", out var seqs) ? seqs.EnumerateObject().Count().ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            table.AddRow(Output.Cell(b, "id"), Output.Cell(b, "kind"), Output.Cell(b, "node"), bytes, symbols, Output.Cell(b, "problem"));
        }
        return table;
    });
}
