using FisherKit.Data;

namespace FisherKit.Tests.ConditionMonitoring;

public class SensorNetworkTests
{
    [Fact]
    public void Reader_parses_a_small_file_and_refuses_a_wrong_header()
    {
        var dir = Directory.CreateTempSubdirectory("fk-sensor-");
        try
        {
            var good = Path.Combine(dir.FullName, "good.csv");
            File.WriteAllText(good, "reading,mote_id,indoor,humidity,temperature,label\n1,1,1,45.93,27.97,0\n2,4,0,40.5,30.25,1\n");
            var r = SensorNetwork.Load(path: good);
            Assert.Equal(2, r.Count);
            Assert.Equal(new SensorReading(2, 4, false, 40.5, 30.25, true), r[1]);
            var bad = Path.Combine(dir.FullName, "bad.csv");
            File.WriteAllText(bad, "a,b\n1,2\n");
            Assert.Throws<InvalidDataException>(() => SensorNetwork.Load(path: bad));
            Assert.Throws<FileNotFoundException>(() => SensorNetwork.Load(path: Path.Combine(dir.FullName, "none.csv")));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
