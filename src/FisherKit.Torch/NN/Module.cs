using FisherKit.Torch.Serialization;

namespace FisherKit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of every network component: named parameters, buffers and child modules in
        /// registration order, train/eval mode, device/dtype moves, state dicts and safetensors files.
        /// Parameters are read through <see cref="Param"/>, so a module can be evaluated with substituted
        /// parameter tensors (<see cref="WithParameters"/>) without copying it: the basis of ±εv
        /// perturbations in parameter space and of ensembles that share one module.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<string> _parameterNames = [];
            private readonly Dictionary<string, Parameter?> _parameters = [];
            private readonly List<string> _bufferNames = [];
            private readonly Dictionary<string, (Tensor tensor, bool persistent)> _buffers = [];
            private readonly List<(string name, Module module)> _children = [];
            private Dictionary<string, Tensor>? _overrides;
            private bool _disposed;

            /// <summary>Creates a module with a display name.</summary>
            protected Module(string name) => Name = name;

            /// <summary>The module's display name (its class by default).</summary>
            public string Name { get; }

            /// <summary>True in training mode (dropout active, batch statistics used).</summary>
            public bool training { get; private set; } = true;

            // ---- registration ----

            /// <summary>Registers a trainable tensor under <paramref name="name"/> (null registers an absent optional one, e.g. no bias).</summary>
            protected Parameter? register_parameter(string name, Tensor? value, bool requires_grad = true)
            {
                CheckNewName(name);
                var p = value is null ? null : value as Parameter ?? new Parameter(value, requires_grad);
                _parameterNames.Add(name);
                _parameters[name] = p;
                return p;
            }

            /// <summary>Registers non-trainable state (e.g. running mean); persistent buffers go into the state dict.</summary>
            protected Tensor register_buffer(string name, Tensor value, bool persistent = true)
            {
                CheckNewName(name);
                var b = new Buffer(value);
                _bufferNames.Add(name);
                _buffers[name] = (b, persistent);
                return b;
            }

            /// <summary>Registers a child module; its parameters appear as "name.child_param".</summary>
            protected T register_module<T>(string name, T module) where T : Module
            {
                CheckNewName(name);
                ArgumentNullException.ThrowIfNull(module);
                _children.Add((name, module));
                return module;
            }

            private void CheckNewName(string name)
            {
                ArgumentException.ThrowIfNullOrEmpty(name);
                if (name.Contains('.')) throw new ArgumentException($"Names may not contain '.', got \"{name}\".", nameof(name));
                if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name) || _children.Any(c => c.name == name))
                    throw new ArgumentException($"{Name} already has a member named \"{name}\".", nameof(name));
            }

            /// <summary>
            /// The tensor to use for parameter <paramref name="name"/> in a forward pass: the substituted
            /// tensor while <see cref="WithParameters"/> is active, otherwise the parameter itself.
            /// Null for an absent optional parameter.
            /// </summary>
            protected Tensor? Param(string name)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_overrides is not null && _overrides.TryGetValue(name, out var o)) return o;
                return _parameters.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"{Name} has no parameter \"{name}\".");
            }

            /// <summary>The buffer registered under <paramref name="name"/>.</summary>
            protected Tensor Buffer(string name) => _buffers[name].tensor;

            /// <summary>Replaces a registered parameter by a new one (disposing the old).</summary>
            protected void SetParameter(string name, Parameter? value)
            {
                if (!_parameters.TryGetValue(name, out var old)) throw new KeyNotFoundException($"{Name} has no parameter \"{name}\".");
                if (!ReferenceEquals(old, value)) old?.Dispose();
                _parameters[name] = value;
            }

            // ---- traversal ----

            /// <summary>Child modules with their names, in registration order.</summary>
            public IEnumerable<(string name, Module module)> named_children() => _children;

            /// <summary>This module and all descendants with dotted names ("" for this one).</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (n, c) in _children)
                    foreach (var (sub, m) in c.named_modules())
                        yield return (sub.Length == 0 ? n : $"{n}.{sub}", m);
            }

            /// <summary>All parameters with dotted names ("0.weight", "fc.bias"), in model order.</summary>
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var n in _parameterNames)
                    if (_parameters[n] is { } p) yield return (n, p);
                if (!recurse) yield break;
                foreach (var (cn, c) in _children)
                    foreach (var (n, p) in c.named_parameters())
                        yield return ($"{cn}.{n}", p);
            }

            /// <summary>All parameters in model order.</summary>
            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            /// <summary>All buffers with dotted names.</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                foreach (var n in _bufferNames) yield return (n, _buffers[n].tensor);
                if (!recurse) yield break;
                foreach (var (cn, c) in _children)
                    foreach (var (n, b) in c.named_buffers())
                        yield return ($"{cn}.{n}", b);
            }

            private IEnumerable<(string name, Tensor buffer)> PersistentBuffers()
            {
                foreach (var n in _bufferNames)
                    if (_buffers[n].persistent) yield return (n, _buffers[n].tensor);
                foreach (var (cn, c) in _children)
                    foreach (var (n, b) in c.PersistentBuffers())
                        yield return ($"{cn}.{n}", b);
            }

            /// <summary>Total number of trainable scalars.</summary>
            public long NumberOfParameters => parameters().Sum(p => p.numel());

            // ---- modes and moves ----

            /// <summary>Sets training mode on this module and all descendants.</summary>
            public Module train(bool mode = true)
            {
                foreach (var (_, m) in named_modules()) m.training = mode;
                return this;
            }

            /// <summary>Sets evaluation mode (dropout off, running statistics used).</summary>
            public Module eval() => train(false);

            /// <summary>Moves parameters and buffers to a device, keeping their identity (optimisers stay valid).</summary>
            public Module to(Device device) => Apply(t => t.to(device));

            /// <summary>Converts floating-point parameters and buffers to a dtype, keeping their identity.</summary>
            public Module to(ScalarType dtype)
            {
                if (!dtype.IsFloatingPoint()) throw new ArgumentException($"Modules can only be converted to floating-point dtypes, not {dtype.Name()}.", nameof(dtype));
                return Apply(t => t.dtype.IsFloatingPoint() ? t.to(dtype) : t.alias());
            }

            /// <summary>Moves and converts in one step.</summary>
            public Module to(Device device, ScalarType dtype) => to(device).to(dtype);

            private Module Apply(Func<Tensor, Tensor> convert)
            {
                using var _ = no_grad();
                foreach (var (_, t) in named_parameters().Select(x => (x.name, (Tensor)x.parameter)).Concat(named_buffers()))
                {
                    using var moved = convert(t);
                    t.set_data(moved);
                }
                return this;
            }

            /// <summary>Clears the gradients of all parameters.</summary>
            public void zero_grad()
            {
                foreach (var p in parameters()) p.grad = null;
            }

            // ---- parameter substitution ----

            /// <summary>
            /// Evaluates the module with some parameters replaced, without copying it: until the returned
            /// object is disposed, <see cref="Param"/> answers with the given tensors (keyed by the names of
            /// <see cref="named_parameters"/>). The tensors stay owned by the caller. Names that do not exist
            /// and shapes that differ are errors.
            /// </summary>
            /// <example>
            /// <code>
            /// using (model.WithParameters(perturbed)) { var logp = model.forward(x); }
            /// </code>
            /// </example>
            public IDisposable WithParameters(IReadOnlyDictionary<string, Tensor> parameters)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                var own = named_parameters().ToDictionary(p => p.name, p => p.parameter);
                foreach (var (name, t) in parameters)
                {
                    if (!own.TryGetValue(name, out var p)) throw new ArgumentException($"{Name} has no parameter \"{name}\" (it has: {string.Join(", ", own.Keys)}).", nameof(parameters));
                    var ps = p.shape; var ts = t.shape;
                    if (!ps.SequenceEqual(ts)) throw new ArgumentException($"Parameter \"{name}\" has shape {Tensor.ShapeString(ps)}, the substitute {Tensor.ShapeString(ts)}.", nameof(parameters));
                }
                var installed = new List<Module>();
                foreach (var (prefix, m) in named_modules())
                {
                    var local = new Dictionary<string, Tensor>();
                    foreach (var n in m._parameterNames)
                        if (parameters.TryGetValue(prefix.Length == 0 ? n : $"{prefix}.{n}", out var t)) local[n] = t;
                    if (local.Count == 0) continue;
                    if (m._overrides is not null) throw new InvalidOperationException($"Parameters of {m.Name} are already substituted; nested substitution is not supported.");
                    m._overrides = local;
                    installed.Add(m);
                }
                return new Restore(installed);
            }

            private sealed class Restore(List<Module> modules) : IDisposable
            {
                public void Dispose()
                {
                    foreach (var m in modules) m._overrides = null;
                    modules.Clear();
                }
            }

            // ---- state dict and files ----

            /// <summary>
            /// Parameters and persistent buffers by dotted name. The tensors are the module's own (not
            /// copies): do not dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, p) in named_parameters()) d[n] = p;
                foreach (var (n, b) in PersistentBuffers()) d[n] = b;
                return d;
            }

            /// <summary>
            /// Copies values into the module's parameters and buffers. With <paramref name="strict"/>,
            /// missing or unexpected names are an error; shapes must always match. dtype and device are
            /// converted.
            /// </summary>
            public (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                ArgumentNullException.ThrowIfNull(source);
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException($"State dict does not match {Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].", nameof(source));
                foreach (var (name, target) in own)
                {
                    if (!source.TryGetValue(name, out var value)) continue;
                    var a = target.shape; var b = value.shape;
                    if (!a.SequenceEqual(b)) throw new ArgumentException($"State entry \"{name}\" has shape {Tensor.ShapeString(b)}, the module expects {Tensor.ShapeString(a)}.", nameof(source));
                }
                using (no_grad())
                    foreach (var (name, target) in own)
                        if (source.TryGetValue(name, out var value)) target.copy_(value);
                return (missing, unexpected);
            }

            /// <summary>Writes the state dict as a safetensors file (temporary file, then rename).</summary>
            public void save(string path, IReadOnlyDictionary<string, string>? metadata = null) => Safetensors.Save(path, state_dict(), metadata);

            /// <summary>Loads a safetensors file written by <see cref="save"/> or by Python's safetensors.</summary>
            public Module load(string path, bool strict = true)
            {
                var loaded = Safetensors.Load(path);
                try { load_state_dict(loaded, strict); }
                finally { foreach (var t in loaded.Values) t.Dispose(); }
                return this;
            }

            /// <summary>Disposes all parameters, buffers and child modules.</summary>
            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                foreach (var p in _parameters.Values) p?.Dispose();
                foreach (var (t, _) in _buffers.Values) t.Dispose();
                foreach (var (_, c) in _children) c.Dispose();
                GC.SuppressFinalize(this);
            }

            /// <summary>A one-line summary: name and parameter count.</summary>
            public override string ToString() => $"{Name}({NumberOfParameters} parameters)";
        }

        /// <summary>A module with a typed forward pass; hooks run on every call.</summary>
        public abstract class Module<TIn, TOut> : Module
        {
            private readonly List<Func<Module<TIn, TOut>, TIn, TIn>> _preHooks = [];
            private readonly List<Func<Module<TIn, TOut>, TIn, TOut, TOut>> _hooks = [];

            /// <summary>Creates a module with a display name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>Runs pre-hooks, the module's computation, then forward hooks.</summary>
            public TOut forward(TIn input)
            {
                foreach (var h in _preHooks) input = h(this, input);
                var output = ForwardCore(input);
                foreach (var h in _hooks) output = h(this, input, output);
                return output;
            }

            /// <summary>Same as <see cref="forward"/> (TorchSharp's spelling).</summary>
            public TOut call(TIn input) => forward(input);

            /// <summary>The module's computation; subclasses implement this, callers use <see cref="forward"/>.</summary>
            protected abstract TOut ForwardCore(TIn input);

            /// <summary>Adds a hook that sees (and may replace) the output; dispose the result to remove it.</summary>
            public IDisposable register_forward_hook(Func<Module<TIn, TOut>, TIn, TOut, TOut> hook)
            {
                _hooks.Add(hook);
                return new Removal(() => _hooks.Remove(hook));
            }

            /// <summary>Adds a hook that sees (and may replace) the input; dispose the result to remove it.</summary>
            public IDisposable register_forward_pre_hook(Func<Module<TIn, TOut>, TIn, TIn> hook)
            {
                _preHooks.Add(hook);
                return new Removal(() => _preHooks.Remove(hook));
            }

            private sealed class Removal(Action remove) : IDisposable
            {
                private Action? _remove = remove;

                public void Dispose()
                {
                    _remove?.Invoke();
                    _remove = null;
                }
            }
        }
    }
}
