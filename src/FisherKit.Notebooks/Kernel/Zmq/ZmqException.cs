namespace FisherKit.Notebooks.Kernel.Zmq;

/// <summary>A libzmq call failed.</summary>
internal sealed class ZmqException : IOException
{
    /// <summary>Creates the exception for a failed call.</summary>
    public ZmqException(string message, int errorNumber) : base(message) => ErrorNumber = errorNumber;

    /// <summary>Creates the exception.</summary>
    public ZmqException() { }

    /// <summary>Creates the exception.</summary>
    public ZmqException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ZmqException(string message, Exception inner) : base(message, inner) { }

    /// <summary>libzmq's error number (<c>zmq_errno</c>).</summary>
    public int ErrorNumber { get; }

    /// <summary>Whether the context was shut down (<c>ETERM</c>): the owner of the socket should close it and stop.</summary>
    public bool IsTerminated => ErrorNumber == ZmqNative.ETerm;
}
