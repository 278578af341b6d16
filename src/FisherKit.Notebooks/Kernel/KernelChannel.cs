namespace FisherKit.Notebooks.Kernel;

/// <summary>The sockets of a Jupyter kernel that carry messages (the heartbeat only echoes).</summary>
internal enum KernelChannel
{
    /// <summary>Requests from clients: execute, complete, inspect, kernel_info, ...</summary>
    Shell,
    /// <summary>Like shell, but served while a cell runs: interrupt, shutdown, kernel_info.</summary>
    Control,
    /// <summary>Input requests from the kernel to the client that sent the execute request.</summary>
    Stdin,
    /// <summary>Broadcast to every client: status, streams, displays, results, errors.</summary>
    IOPub,
}
