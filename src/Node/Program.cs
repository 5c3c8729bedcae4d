using AkkaExchange.Node.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The node finds its own files wherever it is started from; data paths stay relative to the caller.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddExchangeNode(args);
var app = builder.Build();
app.MapExchangeNode();
app.Run();
