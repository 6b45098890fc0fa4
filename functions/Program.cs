using Automation.Functions;
using Automation.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var app = FunctionsApplication.CreateBuilder(args).AddAutomationFunctions().Build();
// A wrong setting stops the worker at start with a sentence naming it, not at the first trigger.
app.Services.ValidateAutomationSettings();
app.Run();
