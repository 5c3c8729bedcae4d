using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace AkkaExchange.Cli;

/// <summary>The exchange's own verbs: <c>symbols</c>, <c>book</c>, <c>state</c>, <c>reconcile run|list|show</c>, <c>region status|rotate|failover</c>.</summary>
public static class ExchangeCommands
{
    public static IEnumerable<Command> Build(CliContext cli)
    {
        var symbols = new Command("symbols", "the listed symbols and their tick and lot sizes");
        symbols.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/api/v1/symbols", ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("symbol", "tick", "lot");
                foreach (var s in answer.GetProperty("symbols").EnumerateArray())
                    table.AddRow(Output.Cell(s, "symbol"), Output.Cell(s, "tickSize"), Output.Cell(s, "lotSize"));
                return table;
            });
        }));
        yield return symbols;

        var symbolArgument = new Argument<string>("symbol") { Description = "a listed symbol, e.g. AAPL" };
        var depth = new Option<int>("--depth") { Description = "price levels per side", DefaultValueFactory = _ => 10 };
        var book = new Command("book", "a symbol's book: bids and asks by price level") { symbolArgument, depth };
        book.SetAction(cli.Run(async (client, output, parse, ct) =>
        {
            var answer = await client.GetAsync($"/api/v1/books/{Uri.EscapeDataString(parse.GetValue(symbolArgument)!)}?depth={parse.GetValue(depth)}", ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("bid qty", "bid", "ask", "ask qty");
                var bids = answer.GetProperty("bids").EnumerateArray().ToArray();
                var asks = answer.GetProperty("asks").EnumerateArray().ToArray();
                for (var i = 0; i < Math.Max(bids.Length, asks.Length); i++)
                    table.AddRow(i < bids.Length ? Output.Cell(bids[i], "quantity") : "", i < bids.Length ? Output.Cell(bids[i], "price") : "",
                        i < asks.Length ? Output.Cell(asks[i], "price") : "", i < asks.Length ? Output.Cell(asks[i], "quantity") : "");
                return table;
            }, $"{parse.GetValue(symbolArgument)}");
        }));
        yield return book;

        var state = new Command("state", "every symbol's journal sequence and state hash, and the ledger's hash (compare two nodes, regions or a restore)");
        state.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/admin/v1/state", ct);
            var ledger = answer.GetProperty("ledger");
            output.Show(answer, () =>
            {
                var table = Output.Table("symbol", "sequence", "state hash");
                foreach (var s in answer.GetProperty("symbols").EnumerateArray())
                    table.AddRow(Output.Cell(s, "symbol"), Output.Cell(s, "sequence"), Output.Cell(s, "stateHash"));
                return table;
            }, $"ledger {ledger.GetProperty("hash").GetString()} ({ledger.GetProperty("postings")} postings, {ledger.GetProperty("settlements")} settlements)");
        }));
        yield return state;

        var metrics = new Command("metrics", "the exchange's series from the node's /metrics (Prometheus text)");
        metrics.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var series = (await client.GetTextAsync("/metrics", ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.StartsWith("akkaex_", StringComparison.Ordinal) && !l.Contains("_bucket{", StringComparison.Ordinal))
                .Select(l => (Name: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
                .ToArray();
            output.Show(series.ToDictionary(s => s.Name, s => s.Value), () =>
            {
                var table = Output.Table("series", "value");
                foreach (var (name, value) in series) table.AddRow(Spectre.Console.Markup.Escape(name), value);
                return table;
            });
        }));
        yield return metrics;
        yield return Reconcile(cli);
        yield return Region(cli);
    }

    private static Command Reconcile(CliContext cli)
    {
        var reconcile = new Command("reconcile", "settlement reconciliation: run one, list the audit, show a run");
        var full = new Option<bool>("--full") { Description = "check every trade, not only those since the last clean run" };
        var run = new Command("run", "runs a reconciliation now and prints its report") { full };
        run.SetAction(cli.Run(async (client, output, parse, ct) =>
            ShowRuns(output, [await client.PostAsync("/api/v1/reconciliation/runs", new { scope = parse.GetValue(full) ? "full" : "since-last-clean" }, ct)])));
        var list = new Command("list", "the latest runs");
        list.SetAction(cli.Run(async (client, output, _, ct) =>
            ShowRuns(output, [.. (await client.GetAsync("/api/v1/reconciliation/runs", ct)).GetProperty("runs").EnumerateArray()])));
        var idArgument = new Argument<long>("id") { Description = "the run's id (reconcile list)" };
        var show = new Command("show", "one run, with its details") { idArgument };
        show.SetAction(cli.Run(async (client, output, parse, ct) =>
        {
            var runReport = await client.GetAsync($"/api/v1/reconciliation/runs/{parse.GetValue(idArgument)}", ct);
            ShowRuns(output, [runReport]);
            if (!output.Json && runReport.TryGetProperty("details", out var details))
                foreach (var d in details.EnumerateArray()) Console.WriteLine(d.GetString());
        }));
        reconcile.Subcommands.Add(run);
        reconcile.Subcommands.Add(list);
        reconcile.Subcommands.Add(show);
        return reconcile;
    }

    private static void ShowRuns(Output output, JsonElement[] runs) =>
        output.Show(runs.Length == 1 ? runs[0] : new { runs }, () =>
        {
            var table = Output.Table("run", "trigger", "scope", "outcome", "trades", "missing", "replayed", "mismatched", "extra", "ms");
            foreach (var r in runs)
                table.AddRow(Output.Cell(r, "runId"), Output.Cell(r, "trigger"), Output.Cell(r, "scope"), Output.Cell(r, "outcome"), Output.Cell(r, "tradesChecked"),
                    Output.Cell(r, "missing"), Output.Cell(r, "replayed"), Output.Cell(r, "mismatched"), Output.Cell(r, "extra"), Output.Cell(r, "durationMs"));
            return table;
        });

    private static Command Region(CliContext cli)
    {
        var region = new Command("region", "the regions: which is active, replication lag, rotation and failover");
        var status = new Command("status", "this node's region view: role, active region, epoch, database, lag, peers");
        status.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/region", ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("region", "role", "active", "epoch", "database", "replay lag (bytes)", "reason");
                table.AddRow(Output.Cell(answer, "region"), Output.Cell(answer, "role"), Output.Cell(answer, "activeRegion"), Output.Cell(answer, "epoch"),
                    Output.Cell(answer, "database"), Output.Cell(answer, "replayLagBytes"), Output.Cell(answer, "reason"));
                foreach (var p in answer.GetProperty("peers").EnumerateArray())
                    table.AddRow(Output.Cell(p, "region"), Output.Cell(p, "role"), Output.Cell(p, "activeRegion"), Output.Cell(p, "epoch"), "peer " + Output.Cell(p, "url"),
                        "", p.GetProperty("reachable").GetBoolean() ? "" : "not answering");
                return table;
            });
        }));
        var toArgument = new Argument<string>("to") { Description = "the region to move trading to" };
        var rotate = new Command("rotate", "a planned move, asked of the active region's node: it hands over to <to> (then run failover on <to>'s node)") { toArgument };
        rotate.SetAction(cli.Run(async (client, output, parse, ct) =>
            output.Show(await client.PostAsync($"/admin/v1/region/handover?to={Uri.EscapeDataString(parse.GetValue(toArgument)!)}", null, ct),
                () => Output.Table("handed over").AddRow("yes"))));
        var force = new Option<bool>("--force") { Description = "even while the other region answers as active (only when it is cut off for good)" };
        var failover = new Command("failover", "makes this node's region the active one (after the other region is lost)") { force };
        failover.SetAction(cli.Run(async (client, output, parse, ct) =>
        {
            var answer = await client.PostAsync($"/admin/v1/region/failover{(parse.GetValue(force) ? "?force=true" : "")}", null, ct);
            output.Show(answer, () =>
            {
                var table = Output.Table("region", "epoch", "promoted", "role");
                table.AddRow(Output.Cell(answer, "region"), Output.Cell(answer, "epoch"), Output.Cell(answer, "promoted"), Output.Cell(answer, "role"));
                return table;
            });
        }));
        region.Subcommands.Add(status);
        region.Subcommands.Add(rotate);
        region.Subcommands.Add(failover);
        return region;
    }
}
