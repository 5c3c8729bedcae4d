using System.Net;
using AkkaExchange.Node.Dashboard;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Who may read the dashboard's data (<see cref="DashboardEndpoints.RequireLoopbackOrAdminToken"/>): a caller on the
/// node's host without a key; anyone else only with the admin token.
/// </summary>
public sealed class DashboardAccessSpecs
{
    private const string Token = "dashboard-admin-token-0123";

    [Theory]
    [InlineData("127.0.0.1", null, Token, 200)]
    [InlineData("::1", null, Token, 200)]
    [InlineData("::ffff:127.0.0.1", null, Token, 200)]
    [InlineData("10.1.2.3", null, Token, 401)]
    [InlineData("10.1.2.3", "Bearer wrong-token-0123456789", Token, 401)]
    [InlineData("10.1.2.3", "Bearer " + Token, Token, 200)]
    [InlineData("10.1.2.3", null, null, 403)]
    public async Task Loopback_reads_freely_and_other_hosts_need_the_admin_token(string remote, string? authorization, string? configured, int expected)
    {
        var settings = new NodeSettings(new ExchangeOptions { AdminToken = configured }, new ConfigurationBuilder().Build());
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddSingleton(settings).BuildServiceProvider() };
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (authorization is not null) context.Request.Headers.Authorization = authorization;

        var result = await DashboardEndpoints.RequireLoopbackOrAdminToken(new DefaultEndpointFilterInvocationContext(context),
            _ => ValueTask.FromResult<object?>(Results.Ok()));

        Assert.Equal(expected, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }
}
