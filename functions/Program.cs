using Automation.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
// The same composition as the command line and automation serve, from the app settings.
builder.Services.AddAutomation(builder.Configuration);

var app = builder.Build();
// A wrong setting stops the worker at start with a sentence naming it, not at the first trigger.
app.Services.ValidateAutomationSettings();
app.Run();
