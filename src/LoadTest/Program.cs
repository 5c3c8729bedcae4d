using AkkaExchange.LoadTest;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
using var stop = new CancellationTokenSource();
// Ctrl-C stops the sending; the answers in flight, the verification and the summary still happen.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    var summary = await new LoadRunner(options, Console.Out).RunAsync(stop.Token);
    return summary.Passed(options.MaxErrorRate) ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or System.Net.WebSockets.WebSocketException or InvalidOperationException)
{
    Console.Error.WriteLine($"load: cannot run against {string.Join(',', options.Urls)}: {e.Message}");
    return 3;
}
