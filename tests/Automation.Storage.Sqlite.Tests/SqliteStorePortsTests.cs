using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Storage.Sqlite.Tests;

public sealed class SqliteStorePortsTests : StorePortsContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<IServiceProvider> CreateStoreAsync(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Automation:Storage:Sqlite:DataDirectory", _folder.File("store"))]).Build();
        return Task.FromResult<IServiceProvider>(services.AddSqliteStore(configuration).BuildServiceProvider());
    }

    public void Dispose() => _folder.Dispose();
}
