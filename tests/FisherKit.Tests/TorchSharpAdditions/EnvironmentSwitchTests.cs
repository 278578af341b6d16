using FisherKit.TorchSharpAdditions;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>FisherKit's engine switches (FISHERKIT_ONEDNN, FISHERKIT_MALLOC) are read one way: unset is the default, case and spaces do not matter, an unknown value is reported.</summary>
public sealed class EnvironmentSwitchTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Unset_or_empty_is_the_default(string? value)
    {
        var s = EnvironmentSwitch.Parse("FISHERKIT_X", value, "tune", "keep");
        Assert.Null(s.Mode);
        Assert.Null(s.Unknown);
    }

    [Theory]
    [InlineData("keep", "keep")]
    [InlineData(" KEEP ", "keep")]
    [InlineData("Tune", "tune")]
    public void A_known_value_is_compared_without_case_or_spaces(string value, string mode)
    {
        var s = EnvironmentSwitch.Parse("FISHERKIT_X", value, "tune", "keep");
        Assert.Equal(mode, s.Mode);
        Assert.Null(s.Unknown);
    }

    [Fact]
    public void An_unknown_value_is_kept_as_given_and_refused_by_name()
    {
        var two = EnvironmentSwitch.Parse("FISHERKIT_X", "kep", "tune", "keep");
        Assert.Null(two.Mode);
        Assert.Equal("kep", two.Unknown);
        Assert.Equal("left alone: FISHERKIT_X=\"kep\" is neither tune nor keep", two.Refusal("left alone"));
        var three = EnvironmentSwitch.Parse("FISHERKIT_Y", "on", "off", "check", "keep");
        Assert.Equal("switched off: FISHERKIT_Y=\"on\" is none of off, check, keep", three.Refusal("switched off"));
    }

    [Fact]
    public void Read_takes_the_process_environment()
    {
        const string name = "FISHERKIT_ENVIRONMENT_SWITCH_TEST";
        Environment.SetEnvironmentVariable(name, "Check");
        try { Assert.Equal("check", EnvironmentSwitch.Read(name, "off", "check").Mode); }
        finally { Environment.SetEnvironmentVariable(name, null); }
    }
}
