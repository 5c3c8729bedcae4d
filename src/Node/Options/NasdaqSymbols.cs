namespace AkkaExchange.Node.Options;

/// <summary>The default universe: 100 Nasdaq-100 tickers, as in the AEX demonstration.</summary>
public static class NasdaqSymbols
{
    public static readonly IReadOnlyList<string> Default =
    [
        "AAL", "AAPL", "ADBE", "ADI", "ADP", "ADSK", "AKAM", "ALGN", "ALXN", "AMAT",
        "AMGN", "AMZN", "ATVI", "AVGO", "BBBY", "BIDU", "BIIB", "BMRN", "CA", "CELG",
        "CERN", "CHKP", "CHTR", "CMCSA", "COST", "CSCO", "CSX", "CTAS", "CTRP", "CTSH",
        "CTXS", "DISCA", "DISH", "DLTR", "EA", "EBAY", "ESRX", "EXPE", "FAST", "FB",
        "FISV", "FOX", "FOXA", "GILD", "GOOG", "GOOGL", "HAS", "HOLX", "HSIC", "IDXX",
        "ILMN", "INCY", "INTC", "INTU", "ISRG", "JBHT", "JD", "KHC", "KLAC", "LBTYA",
        "LBTYK", "LRCX", "MAR", "MAT", "MCHP", "MDLZ", "MELI", "MNST", "MSFT", "MU",
        "MXIM", "MYL", "NCLH", "NFLX", "NTES", "NVDA", "ORLY", "PAYX", "PCAR", "PYPL",
        "QCOM", "QRTEU", "REGN", "ROST", "SBUX", "SHPG", "SIRI", "STX", "SWKS", "SYMC",
        "TMUS", "TSCO", "TSLA", "TXN", "ULTA", "VIAB", "VOD", "VRSK", "VRTX", "WBA",
    ];
}
