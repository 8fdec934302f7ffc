using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Tests.Integration.FunctionsHost.Rpc;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// A test double of the Azure Functions host, not a way to run the app: it serves the host's side of the worker
/// protocol (FunctionRpc.EventStream) on a loopback gRPC port, starts the built worker as the host does, and then
/// initializes it (host capabilities in, worker capabilities out), asks for its function metadata (worker indexing),
/// loads every function, and invokes them. HTTP goes as with the worker's ASP.NET Core integration: the worker reports
/// the URI of its own listener (capability HttpUri); per request the host forwards the caller's request there with the
/// invocation id in x-ms-invocation-id and sends the InvocationRequest, and the worker's response is the answer.
/// Bindings that need a host extension (Service Bus, the timer's schedule) are not run: a test invokes the function.
/// </summary>
internal sealed class FunctionsHostEmulator : IAsyncDisposable
{
    private const string InvocationIdHeader = "x-ms-invocation-id";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication grpc;
    private readonly WorkerChannel channel;
    private readonly WorkerProcess worker;
    private readonly HttpClient forwarder = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private Dictionary<string, RpcFunctionMetadata> functions = [];
    private HttpFunctionRoutes routes = new(string.Empty, []);

    private FunctionsHostEmulator(WebApplication grpc, WorkerChannel channel, WorkerProcess worker)
    {
        this.grpc = grpc;
        this.channel = channel;
        this.worker = worker;
    }

    /// <summary>The capabilities the worker answered WorkerInitRequest with.</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The functions as the worker indexed them (FunctionMetadataResponse), by name.</summary>
    public IReadOnlyDictionary<string, RpcFunctionMetadata> Functions => functions;

    /// <summary>The worker's output and its warning logs, for a failing test's message.</summary>
    public string Diagnostics => worker.Output + Environment.NewLine + string.Join(Environment.NewLine, channel.Logs);

    /// <summary>Starts the host side and the worker in <paramref name="appDirectory"/>, and brings the worker to where it can be invoked.</summary>
    public static async Task<FunctionsHostEmulator> StartAsync(string appDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var channel = new WorkerChannel();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(channel);
        var grpc = builder.Build();
        WorkerProcess worker;
        try
        {
            grpc.MapGrpcService<HostRpcService>();
            await grpc.StartAsync(cancellationToken);
            var hostUri = new Uri(grpc.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            worker = WorkerProcess.Start(appDirectory, hostUri, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), settings);
        }
        catch
        {
            await grpc.DisposeAsync();
            throw;
        }

        // A worker that exits answers nothing more: what waits on it fails now, not at its timeout.
        _ = worker.Exited.ContinueWith(_ => channel.Close("the worker process exited."), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var emulator = new FunctionsHostEmulator(grpc, channel, worker);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            await emulator.InitializeAsync(appDirectory, timeout.Token);
            return emulator;
        }
        catch (Exception e)
        {
            var diagnostics = emulator.Diagnostics;
            await emulator.DisposeAsync();
            throw new InvalidOperationException($"The worker did not come up: {e.Message}{Environment.NewLine}{diagnostics}", e);
        }
    }

    /// <summary>Invokes a function with the given inputs, as the host does when its trigger fires.</summary>
    public Task<InvocationResponse> InvokeAsync(string function, IEnumerable<ParameterBinding> inputs, IDictionary<string, TypedData>? triggerMetadata = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(Function(function).FunctionId, Guid.NewGuid().ToString(), inputs, triggerMetadata, cancellationToken);

    /// <summary>Invokes a timer function once, with the timer payload the host's timer trigger hands over.</summary>
    public Task<InvocationResponse> InvokeTimerAsync(string function, CancellationToken cancellationToken)
    {
        var trigger = Function(function).Bindings.Single(b => b.Value.Type == "timerTrigger");
        var timer = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" };
        return InvokeAsync(function, [new ParameterBinding { Name = trigger.Key, Data = timer }], cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Answers an HTTP request as the host does for a worker with the ASP.NET Core integration: routes it to a function,
    /// forwards it to the worker's listener with the invocation id, and sends the InvocationRequest alongside.
    /// </summary>
    public async Task<(HttpResponseMessage Http, InvocationResponse Invocation)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workerUri = new Uri(WorkerCapabilities["HttpUri"]);
        var target = new Uri(workerUri, request.RequestUri!.OriginalString);
        var match = routes.Match(request.Method.Method, target.AbsolutePath)
            ?? throw new InvalidOperationException($"No function answers {request.Method} {target.AbsolutePath}.");
        var invocationId = Guid.NewGuid().ToString();

        using var forward = new HttpRequestMessage(request.Method, target);
        foreach (var (name, values) in request.Headers)
        {
            forward.Headers.TryAddWithoutValidation(name, values);
        }

        if (request.Content is not null)
        {
            forward.Content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var (name, values) in request.Content.Headers)
            {
                forward.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        forward.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        forward.Headers.TryAddWithoutValidation("X-Forwarded-For", "127.0.0.1");
        forward.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");

        // The HTTP trigger's input: the request without its body (the body travels over HTTP), its query, headers and route values.
        var http = new RpcHttp { Method = request.Method.Method, Url = target.AbsoluteUri };
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        var headers = forward.Headers.Concat(forward.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        foreach (var (name, value) in query)
        {
            http.NullableQuery[name] = new NullableString { Value = value };
        }

        foreach (var (name, value) in headers)
        {
            http.NullableHeaders[name] = new NullableString { Value = value };
        }

        var triggerMetadata = new Dictionary<string, TypedData>
        {
            ["Query"] = new() { Json = JsonSerializer.Serialize(query) },
            ["Headers"] = new() { Json = JsonSerializer.Serialize(headers) },
        };
        foreach (var (name, value) in match.Values)
        {
            http.NullableParams[name] = new NullableString { Value = value?.ToString() ?? string.Empty };
            triggerMetadata[name] = new TypedData { String = value?.ToString() ?? string.Empty };
        }

        var trigger = functions.Values.Single(f => f.FunctionId == match.FunctionId).Bindings.Single(b => b.Value.Type == "httpTrigger");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InvocationTimeout);

        // Forwarding starts first, then the invocation request goes out; the worker pairs them by the invocation id.
        var answer = forwarder.SendAsync(forward, timeout.Token);
        try
        {
            var invocation = await InvokeAsync(match.FunctionId, invocationId, [new ParameterBinding { Name = trigger.Key, Data = new TypedData { Http = http } }], triggerMetadata, cancellationToken);
            return (await answer, invocation);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker's listener did not answer {request.Method} {target.AbsolutePath} within {InvocationTimeout.TotalSeconds:0} s.{Environment.NewLine}{Diagnostics}");
        }
        finally
        {
            // A failed invocation leaves nothing for the forwarded request to wait for.
            await timeout.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await worker.DisposeAsync();
        }
        finally
        {
            forwarder.Dispose();
            await grpc.DisposeAsync();
        }
    }

    private async Task InitializeAsync(string appDirectory, CancellationToken cancellationToken)
    {
        var started = await Task.WhenAny(channel.Started, worker.Exited.WaitAsync(cancellationToken));
        if (started != channel.Started)
        {
            throw new InvalidOperationException("The worker exited before it opened the event stream.");
        }

        // Capabilities the host announces; the worker answers with its own (HttpUri among them, with the ASP.NET Core integration).
        var init = new WorkerInitRequest { HostVersion = "4.0.0-emulator", WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory };
        foreach (var capability in new[] { "RpcHttpBodyOnly", "RawHttpBodyBytes", "RpcHttpTriggerMetadataRemoved", "UseNullableValueDictionaryForHttp", "TypedDataCollection", "HandlesWorkerTerminateMessage", "HandlesInvocationCancelMessage" })
        {
            init.Capabilities[capability] = "true";
        }

        var initialized = (await channel.RequestAsync(new StreamingMessage { WorkerInitRequest = init }, StartTimeout, cancellationToken)).WorkerInitResponse;
        Succeeded(initialized.Result, "WorkerInitRequest");
        WorkerCapabilities = initialized.Capabilities.ToDictionary();

        var metadata = (await channel.RequestAsync(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory } }, StartTimeout, cancellationToken)).FunctionMetadataResponse;
        Succeeded(metadata.Result, "FunctionsMetadataRequest");
        functions = metadata.FunctionMetadataResults.ToDictionary(f => f.Name, f => Loadable(f, appDirectory));

        foreach (var function in functions.Values)
        {
            var loaded = (await channel.RequestAsync(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } }, StartTimeout, cancellationToken)).FunctionLoadResponse;
            Succeeded(loaded.Result, $"FunctionLoadRequest {function.Name}");
        }

        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "host.json")));
        var routePrefix = host.RootElement.TryGetProperty("extensions", out var e) && e.TryGetProperty("http", out var h) && h.TryGetProperty("routePrefix", out var p) ? p.GetString()! : "api";
        routes = new HttpFunctionRoutes(routePrefix, from f in functions.Values
                                                     from raw in f.RawBindings
                                                     let binding = JsonSerializer.Deserialize<JsonElement>(raw)
                                                     where binding.GetProperty("type").GetString() == "httpTrigger"
                                                     select (f.FunctionId, binding));
    }

    private async Task<InvocationResponse> InvokeAsync(string functionId, string invocationId, IEnumerable<ParameterBinding> inputs, IDictionary<string, TypedData>? triggerMetadata, CancellationToken cancellationToken)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = functionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" },
        };
        request.InputData.Add(inputs);
        foreach (var (name, value) in triggerMetadata ?? new Dictionary<string, TypedData>())
        {
            request.TriggerMetadata[name] = value;
        }

        try
        {
            return (await channel.RequestAsync(new StreamingMessage { InvocationRequest = request }, InvocationTimeout, cancellationToken)).InvocationResponse;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            var name = functions.Values.FirstOrDefault(f => f.FunctionId == functionId)?.Name ?? functionId;
            throw new InvalidOperationException($"Invocation {invocationId} of {name} failed: {e.Message}{Environment.NewLine}{Diagnostics}", e);
        }
    }

    private RpcFunctionMetadata Function(string name) =>
        functions.TryGetValue(name, out var function) ? function : throw new InvalidOperationException($"The worker indexed no function {name}.");

    /// <summary>The metadata the host loads a function with: the worker's own, with a function id and the bindings parsed from the raw JSON.</summary>
    private static RpcFunctionMetadata Loadable(RpcFunctionMetadata indexed, string appDirectory)
    {
        var function = indexed.Clone();
        function.FunctionId = string.IsNullOrEmpty(function.FunctionId) ? Guid.NewGuid().ToString() : function.FunctionId;
        function.Directory = appDirectory;
        function.Bindings.Clear();
        foreach (var raw in function.RawBindings)
        {
            var binding = JsonSerializer.Deserialize<JsonElement>(raw);
            var info = new BindingInfo
            {
                Type = binding.GetProperty("type").GetString()!,
                Direction = binding.GetProperty("direction").GetString()!.ToUpperInvariant() switch
                {
                    "IN" => BindingInfo.Types.Direction.In,
                    "OUT" => BindingInfo.Types.Direction.Out,
                    _ => BindingInfo.Types.Direction.Inout,
                },
            };
            if (binding.TryGetProperty("dataType", out var dataType) && Enum.TryParse<BindingInfo.Types.DataType>(dataType.GetString(), ignoreCase: true, out var parsed))
            {
                info.DataType = parsed;
            }

            function.Bindings[binding.GetProperty("name").GetString()!] = info;
        }

        return function;
    }

    private static void Succeeded(StatusResult result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result?.Exception?.Message ?? result?.Result}");
        }
    }
}
