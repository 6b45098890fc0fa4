using Microsoft.Extensions.DependencyInjection;

namespace Automation.Testing;

public static class ServiceDecoration
{
    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> with <paramref name="decorate"/>
    /// around it: how a test puts a fault, a counter or a stop into a real service.
    /// </summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(original);
        return services.AddSingleton(sp => decorate(sp,
            (TService)(original.ImplementationFactory?.Invoke(sp) ?? original.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }
}
