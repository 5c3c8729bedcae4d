using AkkaExchange.Bench;

try
{
    var options = BenchOptions.Parse(args);
    return options.Name switch
    {
        "matching" => MatchingBenchmark.Run(options),
        "durable" => await DurableBenchmark.RunAsync(options),
        "cluster" => await ClusterBenchmark.RunAsync(options),
        "settlement" => await SettlementBenchmark.RunAsync(options),
        "dr" => await DrBenchmark.RunAsync(options),
        "restore" => await RestoreBenchmark.RunAsync(options),
        _ => throw new ArgumentException($"unknown benchmark '{options.Name}' (known: matching, durable, cluster, settlement, dr, restore)"),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
