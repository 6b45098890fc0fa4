using Automation.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

FunctionsApplication.CreateBuilder(args).AddAutomationFunctions().BuildCheckingSettings().Run();
