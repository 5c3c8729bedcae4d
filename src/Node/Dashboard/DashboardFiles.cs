using System.Reflection;
using System.Security.Cryptography;

namespace AkkaExchange.Node.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the node's assembly (<c>Dashboard/wwwroot</c>): a node serves its page
/// wherever it runs from, with nothing to build or deploy beside it. Read once; each answer carries an ETag.
/// </summary>
public sealed class DashboardFiles
{
    private const string Prefix = "dashboard/";

    // The page talks only to its own node: no inline script, no other origin; never framed (its buttons act with the key).
    private const string Policy = "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly Dictionary<string, (byte[] Bytes, string Type, string ETag)> _files = new(StringComparer.Ordinal);

    public DashboardFiles()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            _files[name[Prefix.Length..]] = (bytes, TypeOf(name), $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
        }
    }

    /// <summary>The file's answer, or 404 for a name that is not one of the page's files.</summary>
    public IResult Serve(HttpContext context, string name)
    {
        if (!_files.TryGetValue(name, out var file)) return Api.ApiResults.Error(404, $"no dashboard file {name}");
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (context.Request.Headers.IfNoneMatch == file.ETag) return Results.StatusCode(304);
        return Results.Bytes(file.Bytes, file.Type);
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
