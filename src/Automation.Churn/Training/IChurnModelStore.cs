namespace Automation.Churn.Training;

/// <summary>Where fitted models are kept: every store backend has one.</summary>
public interface IChurnModelStore
{
    Task SaveAsync(ChurnModel model, CancellationToken cancellationToken = default);

    /// <summary>The most recently fitted model, or <c>null</c> before the first fit.</summary>
    Task<ChurnModel?> LoadLatestAsync(CancellationToken cancellationToken = default);
}
