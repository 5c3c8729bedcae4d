using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace AkkaExchange.Cli;

/// <summary>
/// pbm's cluster verbs, on the node's admin API: <c>cluster show|leave|down|down-unreachable|singletons</c> and
/// <c>cluster sharding regions|region-stats|shard-locations</c>.
/// </summary>
public static class ClusterCommands
{
    public static Command Build(CliContext cli)
    {
        var cluster = new Command("cluster", "the Akka cluster: members, downing, sharding, singletons");

        var show = new Command("show", "members with their status and reachability, the leader and the oldest");
        show.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var members = await client.GetAsync("/admin/v1/members", ct);
            output.Show(members, () =>
            {
                var table = Output.Table("node", "address", "status", "reachable", "http", "roles");
                foreach (var m in members.GetProperty("members").EnumerateArray())
                    table.AddRow(Output.Cell(m, "nodeId"), Output.Cell(m, "address"), Output.Cell(m, "status"), Output.Cell(m, "reachable"),
                        Output.Cell(m, "httpAddress"), Output.Cell(m, "roles"));
                return table;
            }, $"leader {Output.Cell(members, "leader")}, oldest {Output.Cell(members, "oldest")}");
        }));

        var nodeArgument = new Argument<string>("node") { Description = "the member's node id (cluster show lists them)" };
        var leave = new Command("leave", "makes the member leave gracefully: it hands its shards over and stops") { nodeArgument };
        leave.SetAction(cli.Run(async (client, output, parse, ct) =>
        {
            var node = parse.GetValue(nodeArgument)!;
            var member = Members(await client.GetAsync("/admin/v1/members", ct)).FirstOrDefault(m => Output.Cell(m, "nodeId") == node);
            if (member.ValueKind == JsonValueKind.Undefined) throw new CliException(1, $"no member {node} (cluster show lists them)");
            if (Output.Cell(member, "httpAddress") is not { } http || !Uri.TryCreate(http, UriKind.Absolute, out var at))
                throw new CliException(1, $"member {node} does not say where its HTTP API is");
            Print(output, await client.PostAtAsync(at, "/admin/v1/leave", ct), $"{node} is leaving");
        }));

        var down = new Command("down", "downs the member (it is not asked: use for a node that is gone)") { nodeArgument };
        down.SetAction(cli.Run(async (client, output, parse, ct) =>
            Print(output, await client.PostAsync($"/admin/v1/down/{Uri.EscapeDataString(parse.GetValue(nodeArgument)!)}", null, ct),
                $"{parse.GetValue(nodeArgument)} downed")));

        var downUnreachable = new Command("down-unreachable", "downs every member the cluster marks unreachable");
        downUnreachable.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var downed = new List<string>();
            foreach (var m in Members(await client.GetAsync("/admin/v1/members", ct)).Where(m => !m.GetProperty("reachable").GetBoolean()))
            {
                var node = Output.Cell(m, "nodeId");
                await client.PostAsync($"/admin/v1/down/{Uri.EscapeDataString(node)}", null, ct);
                downed.Add(node);
            }
            Print(output, JsonSerializer.SerializeToElement(new { downed }), downed.Count == 0 ? "no member is unreachable" : $"downed {string.Join(", ", downed)}");
        }));

        var singletons = new Command("singletons", "where each cluster singleton runs");
        singletons.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/admin/v1/singletons", ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("singleton", "owner", "lease epoch");
                foreach (var s in answer.GetProperty("singletons").EnumerateArray())
                    table.AddRow(Output.Cell(s, "name"), Output.Cell(s, "owner"), Output.Cell(s, "epoch"));
                return table;
            });
        }));

        cluster.Subcommands.Add(show);
        cluster.Subcommands.Add(leave);
        cluster.Subcommands.Add(down);
        cluster.Subcommands.Add(downUnreachable);
        cluster.Subcommands.Add(singletons);
        cluster.Subcommands.Add(Sharding(cli));
        return cluster;
    }

    private static Command Sharding(CliContext cli)
    {
        var sharding = new Command("sharding", "the symbols' shards");

        var regions = new Command("regions", "every shard: its owner, lease epoch and symbols");
        regions.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/admin/v1/shards", ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("shard", "owner", "epoch", "entities", "symbols");
                foreach (var s in Shards(answer).Where(s => s.GetProperty("symbols").GetArrayLength() > 0))
                    table.AddRow(Output.Cell(s, "shard"), Output.Cell(s, "owner"), Output.Cell(s, "epoch"), Output.Cell(s, "entities"), Output.Cell(s, "symbols"));
                return table;
            });
        }));

        var stats = new Command("region-stats", "shards and entities per node");
        stats.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var perNode = Shards(await client.GetAsync("/admin/v1/shards", ct))
                .Where(s => s.GetProperty("owner").ValueKind == JsonValueKind.String)
                .GroupBy(s => s.GetProperty("owner").GetString()!)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new { node = g.Key, shards = g.Count(), entities = g.Sum(s => s.GetProperty("entities").GetInt32()) })
                .ToArray();
            output.Show(new { regions = perNode }, () =>
            {
                var table = Output.Table("node", "shards", "entities");
                foreach (var n in perNode) table.AddRow(n.node, n.shards.ToString(), n.entities.ToString());
                return table;
            });
        }));

        var symbolArgument = new Argument<string>("symbol") { Description = "a listed symbol, e.g. AAPL" };
        var locations = new Command("shard-locations", "which shard holds the symbol, and which node owns it") { symbolArgument };
        locations.SetAction(cli.Run(async (client, output, parse, ct) =>
        {
            var symbol = parse.GetValue(symbolArgument)!;
            var shard = Shards(await client.GetAsync("/admin/v1/shards", ct))
                .FirstOrDefault(s => s.GetProperty("symbols").EnumerateArray().Any(x => x.GetString() == symbol));
            if (shard.ValueKind == JsonValueKind.Undefined) throw new CliException(1, $"no shard holds {symbol} (symbols lists them)");
            output.Show(shard, () =>
            {
                var table = Output.Table("symbol", "shard", "owner", "epoch");
                table.AddRow(symbol, Output.Cell(shard, "shard"), Output.Cell(shard, "owner"), Output.Cell(shard, "epoch"));
                return table;
            });
        }));

        sharding.Subcommands.Add(regions);
        sharding.Subcommands.Add(stats);
        sharding.Subcommands.Add(locations);
        return sharding;
    }

    private static IEnumerable<JsonElement> Members(JsonElement answer) => answer.GetProperty("members").EnumerateArray();

    private static IEnumerable<JsonElement> Shards(JsonElement answer) => answer.GetProperty("shards").EnumerateArray();

    private static void Print(Output output, JsonElement answer, string text)
    {
        if (output.Json) Console.WriteLine(answer.ToString());
        else Console.WriteLine(text);
    }
}
