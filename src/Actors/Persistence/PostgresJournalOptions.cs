namespace AkkaExchange.Actors.Persistence;

/// <summary>Where the PostgreSQL journal lives.</summary>
/// <param name="ConnectionString">An Npgsql connection string.</param>
/// <param name="Schema">The schema holding the tables; created when missing.</param>
public sealed record PostgresJournalOptions(string ConnectionString, string Schema = "public");
