namespace Automation.Churn;

/// <summary>A model could not be fitted to the data; the message says why in words.</summary>
public sealed class ModelFitException(string message) : Exception(message);
