using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Gives every simulated customer an opening balance before the run (<c>--opening-cash</c>, <c>--opening-shares</c>)
/// through the deposits API, which needs the admin token (taken from AKKAEX_ADMIN_TOKEN, never the command line).
/// A deposit's reference is fixed per account and asset, so running twice against one exchange credits once.
/// </summary>
public static class OpeningBalances
{
    public const string TokenVariable = "AKKAEX_ADMIN_TOKEN";

    public static async Task<int> CreateAsync(LoadOptions options, IReadOnlyList<string> symbols, TextWriter output, CancellationToken cancellation)
    {
        if (options.OpeningCash is null && options.OpeningShares is null) return 0;
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(token)) throw new InvalidOperationException($"opening balances need the admin token in {TokenVariable}");
        using var http = new HttpClient { BaseAddress = options.Urls[0], Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var deposits = new List<(string Account, string Asset, string Amount)>();
        for (var b = 0; b < options.Brokers; b++)
            for (var c = 0; c < options.CustomersPerBroker; c++)
            {
                var account = CustomerActor.AccountOf(b, c);
                if (options.OpeningCash is { } cash) deposits.Add((account, "CASH", cash.ToString(CultureInfo.InvariantCulture)));
                if (options.OpeningShares is { } shares)
                    deposits.AddRange(symbols.Select(s => (account, s, shares.ToString(CultureInfo.InvariantCulture))));
            }
        var created = 0;
        await Parallel.ForEachAsync(deposits, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellation }, async (d, ct) =>
        {
            using var response = await http.PostAsJsonAsync($"/api/v1/accounts/{d.Account}/deposits",
                new { reference = $"loadtest-open-{d.Account}-{d.Asset}", asset = d.Asset, amount = d.Amount }, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"deposit to {d.Account} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            if ((int)response.StatusCode == 201) Interlocked.Increment(ref created);
        });
        output.WriteLine($"load: opening balances: {created} of {deposits.Count} deposits new");
        return created;
    }
}
