using System.Text.Json;
using Spectre.Console;

namespace AkkaExchange.Cli;

/// <summary>How results are shown: a Spectre table for people, or the JSON as the node answered it (<c>--json</c>) for scripts.</summary>
public sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool Json => json;

    /// <summary>Prints <paramref name="data"/> as JSON with <c>--json</c>, else the table <paramref name="describe"/> makes of it.</summary>
    public void Show(object data, Func<Table> describe, string? caption = null)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(data, Indented));
            return;
        }
        if (caption is not null) AnsiConsole.MarkupLine(Markup.Escape(caption));
        AnsiConsole.Write(describe());
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns) table.AddColumn(c);
        return table;
    }

    /// <summary>A JSON value as a table cell (strings unquoted, null as "-").</summary>
    public static string Cell(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind switch
    {
        JsonValueKind.String => Markup.Escape(v.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.Array => Markup.Escape(string.Join(", ", v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString()))),
        _ => Markup.Escape(v.ToString()),
    } : "-";
}
