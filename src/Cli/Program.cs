using System.CommandLine;
using AkkaExchange.Cli;

var cli = new CliContext();
var root = new RootCommand("akkaex: operate an AkkaExchange cluster through any node's admin API (pbm's verbs)");
root.Options.Add(cli.Url);
root.Options.Add(cli.Key);
root.Options.Add(cli.Json);
root.Subcommands.Add(ClusterCommands.Build(cli));
foreach (var command in ExchangeCommands.Build(cli)) root.Subcommands.Add(command);
foreach (var command in BackupCommands.Build(cli)) root.Subcommands.Add(command);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"akkaex: {error.Message}");
    Console.Error.WriteLine("akkaex --help lists the commands");
    return 2;
}
return await parse.InvokeAsync();
