using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Application.Api;
using Orchestra.Application.Configuration;
using Orchestra.Application.Security;
using Orchestra.Engine;
using Orchestra.Engine.Hosting;
using Orchestra.Server.Api;
using Orchestra.Server.Console;
using Orchestra.Server.Security;
using Orchestra.Server.Templates;

namespace Orchestra.Server.Hosting;

/// <summary>Builds the Orchestra HTTP server: the engine as a hosted service, the JSON API, SSE, health and OpenAPI.</summary>
/// <example>
/// <code>
/// var builder = OrchestraWebApplication.CreateBuilder(OrchestraConfiguration.Build(null));
/// await using var app = OrchestraWebApplication.Build(builder);
/// await app.RunAsync();
/// </code>
/// </example>
public static class OrchestraWebApplication
{
    /// <summary>
    /// Creates the builder: binds the options, checks the listen policy on the configured URLs, decides the authentication (creating
    /// the token file if the generated token is in force), registers the services.
    /// </summary>
    /// <param name="configuration">The configuration (see <see cref="OrchestraConfiguration"/>).</param>
    /// <returns>The builder, for tests to adjust (e.g. a test server) before <see cref="Build"/>.</returns>
    /// <exception cref="OrchestraStartupException">
    /// The configuration is unsafe or invalid (e.g. a public address without a token, a token file others can read). Starting the built
    /// application throws it too when Kestrel bound an address beyond loopback without a configured token.
    /// </exception>
    public static WebApplicationBuilder CreateBuilder(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new OrchestraOptions();
        configuration.GetSection(OrchestraOptions.SectionName).Bind(options);
        var urls = ListenAddressPolicy.Split(options.Server.Urls);
        if (ListenAddressPolicy.Check(urls, !string.IsNullOrEmpty(options.Server.BearerToken)) is { } refusal)
        {
            throw new OrchestraStartupException(refusal);
        }

        var authentication = ServerAuthentication.Resolve(options.Server);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Server.MaxRequestBodyBytes);
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });

        var services = builder.Services;
        services.AddOptions<OrchestraOptions>().Bind(configuration.GetSection(OrchestraOptions.SectionName));
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection("Orchestra:Engine"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(authentication);
        services.AddSingleton(sp => new SignInSessions(options.Server, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ListenGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ListenGuard>());
        services.AddSingleton(new TemplateDirectoryPolicy(options.Server.ResolvedTemplateDirectories(configuration)));
        services.AddHostedService<TemplateDirectoryCheck>();
        services.AddSingleton<OrchestraNodeService>();
        services.AddHostedService(sp => sp.GetRequiredService<OrchestraNodeService>());
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddProblemDetails(p => p.CustomizeProblemDetails = context =>
        {
            // The engine failures that reach the exception handler on purpose: say what they are, not just "500".
            if (StoreFaultException.Find(context.Exception) is { } fault)
            {
                context.ProblemDetails.Title = "Store unavailable";
                context.ProblemDetails.Detail = fault.Message;
                context.ProblemDetails.Type = ProblemTypes.StoreUnavailable;
                context.ProblemDetails.Extensions["fault"] = fault.Kind.ToString();
            }
            else if (context.Exception is DeploymentUnavailableException unavailable)
            {
                context.ProblemDetails.Title = "Deployment unavailable";
                context.ProblemDetails.Detail = unavailable.Message;
                context.ProblemDetails.Type = ProblemTypes.DeploymentUnavailable;
                context.ProblemDetails.Extensions["deploymentId"] = unavailable.DeploymentId;
            }

            // What ASP.NET Core answers by itself (no route, wrong method, an unexpected exception) gets a type of the API's own too.
            if (context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => ProblemTypes.NotFound,
                    StatusCodes.Status405MethodNotAllowed => ProblemTypes.MethodNotAllowed,
                    StatusCodes.Status415UnsupportedMediaType => ProblemTypes.InvalidRequest,
                    StatusCodes.Status500InternalServerError => ProblemTypes.Internal,
                    _ => context.ProblemDetails.Type,
                };
            }
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Orchestra";
            document.Info.Description = "Submit TOSCA deployments, follow them and act on them. Errors are RFC 7807 problem documents.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>Builds the application: middleware (listen gate and host check, errors as problem details, authentication) and endpoints.</summary>
    /// <param name="builder">The builder from <see cref="CreateBuilder"/>.</param>
    /// <returns>The application, ready to run.</returns>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        var authentication = app.Services.GetRequiredService<ServerAuthentication>();

        app.UseMiddleware<HostCheckMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                Microsoft.AspNetCore.Http.BadHttpRequestException bad => bad.StatusCode,
                DeploymentUnavailableException or StoreFaultException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        if (authentication.Mode != AuthenticationMode.AnonymousLoopback)
        {
            app.UseMiddleware<BearerTokenMiddleware>();
            SignInEndpoints.Map(app);
        }

        app.MapOpenApi("/openapi/{documentName}.json");
        HealthEndpoints.Map(app);
        DeploymentEndpoints.Map(app);
        LogEndpoints.Map(app);
        TemplateEndpoints.Map(app);
        TemplateCatalogEndpoints.Map(app);
        EventEndpoints.Map(app);
        ConsoleEndpoints.Map(app);
        return app;
    }
}

/// <summary>Thrown when the server refuses to start because of its configuration; the message says what to change.</summary>
public sealed class OrchestraStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to change.</param>
    public OrchestraStartupException(string message)
        : base(message)
    {
    }
}
