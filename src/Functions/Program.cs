using Microsoft.Extensions.Hosting;
using PresenceFunctions.Functions.Hosting;

PresenceFunctionsApp.CreateBuilder(args).Build().Run();
