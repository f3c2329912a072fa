using System.Diagnostics;
using InitCfg.Core.Configs.Python;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Configs.Python;

public class PythonConfigErrorTests
{
    private static InitCfgException Refused(string text, string id)
    {
        using var files = new PyConfigFiles(("bad.py", text));
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InitCfgException>(() => files.Read("bad.py"));
        Assert.Equal(id, e.ErrorId);
        Assert.True(e.Message.Length < 2000, e.Message);
        return e;
    }

    [Theory]
    [InlineData("def scale(x):\n    return x * 2\nlr = scale(0.1)\n", "3:11", "calling 'scale'")]
    [InlineData("model = dict(type=lambda x: x)\ny = model['type'](1)\n", "2:18", "calling '<lambda>'")]
    [InlineData("x = 1\nwhile x < 3:\n    x += 1\n", "2:1", "'while' statement")]
    [InlineData("try:\n    x = 1\nexcept Exception:\n    x = 2\n", "1:1", "'try' statement")]
    [InlineData("import numpy as np\nx = np.zeros(3)\n", "2:13", "calling the imported 'numpy.zeros'")]
    [InlineData("with open('f') as f:\n    x = 1\n", "1:16", "'with' statement")]
    public void ReadFile_ConstructOutsideTheSubset_NamesFileLineColumnAndConstruct(string text, string position, string construct)
    {
        var e = Refused(text, ErrorIds.UnsupportedConfigConstruct);
        Assert.Contains("bad.py:" + position + ":", e.Message);
        Assert.Contains(construct, e.Message);
    }

    [Theory]
    [InlineData("model = dict(type='X'\n", "unexpected end", ErrorIds.ConfigSyntaxError)]
    [InlineData("x = 1 +\n", "bad.py:1:8", ErrorIds.ConfigSyntaxError)]
    [InlineData("if True:\nx = 1\n", "bad.py:2:1", ErrorIds.ConfigSyntaxError)]
    [InlineData("x = 'unterminated\n", "bad.py:1:5", ErrorIds.ConfigSyntaxError)]
    [InlineData("x = y + 1\n", "name 'y' is not defined", ErrorIds.ConfigEvaluationError)]
    [InlineData("d = dict(a=1)\nx = d['b']\n", "KeyError: 'b'", ErrorIds.ConfigEvaluationError)]
    [InlineData("x = [1][5]\n", "out of range", ErrorIds.ConfigEvaluationError)]
    [InlineData("x = 1 / 0\n", "ZeroDivisionError", ErrorIds.ConfigEvaluationError)]
    [InlineData("x = 'a' + 1\n", "unsupported operand", ErrorIds.ConfigEvaluationError)]
    public void ReadFile_BadPython_IsATypedErrorWithItsPosition(string text, string fragment, string id)
    {
        var e = Refused(text, id);
        if (fragment != "unexpected end") Assert.Contains(fragment, e.Message);
        Assert.Contains("bad.py", e.Message);
    }

    [Theory]
    [InlineData("x = [0]\nx = [x] * 10**9\n")]
    [InlineData("x = 'a' * 10**9\n")]
    [InlineData("x = list(range(10**9))\n")]
    [InlineData("x = [i for i in range(10**5) for j in range(10**5)]\n")]
    [InlineData("x = 2 ** 200\n")]
    [InlineData("a = [1] * 100000\nb = [a] * 1000\nc = [x for y in b for x in y]\n")]
    public void ReadFile_Blowup_IsConfigTooLargeQuickly(string text)
    {
        var clock = Stopwatch.StartNew();
        var e = Refused(text, ErrorIds.ConfigTooLarge);
        Assert.Contains("bad.py:", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ReadFile_DeepNesting_IsConfigTooLarge()
    {
        Refused("x = " + new string('[', 150) + new string(']', 150) + "\n", ErrorIds.ConfigTooLarge);
        Refused("x = " + string.Concat(Enumerable.Repeat("-", 5000)) + "1\n", ErrorIds.ConfigTooLarge);
        Refused("x = " + string.Concat(Enumerable.Repeat("1 + ", 100_000)) + "1\n", ErrorIds.ConfigTooLarge);
        Refused("x = dict()" + string.Concat(Enumerable.Repeat(".copy()", 100_000)) + "\n", ErrorIds.ConfigTooLarge);
        Refused("x = True" + string.Concat(Enumerable.Repeat(" and True", 100_000)) + "\n", ErrorIds.ConfigTooLarge);
    }

    [Fact]
    public void ReadText_DeepExpressionOnASmallStack_IsConfigTooLargeNotACrash()
    {
        Exception? caught = null;
        object? value = null;
        var thread = new Thread(() =>
        {
            try { value = PythonConfig.ReadText("x = " + string.Concat(Enumerable.Repeat("1 + ", 1999)) + "1"); }
            catch (Exception e) { caught = e; }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        // Either the stack was enough (then the sum is right) or the reader says so; the process lives on.
        if (caught is null) Assert.Equal(2000L, ((InitCfg.Core.Configs.ConfigMap)value!)["x"]);
        else Assert.Equal(ErrorIds.ConfigTooLarge, Assert.IsType<InitCfgException>(caught).ErrorId);
    }

    [Fact]
    public void ReadFile_SelfContainingList_IsConfigTooLargeNotAStackOverflow()
    {
        Refused("x = []\nx.append(x)\n", ErrorIds.ConfigTooLarge);
    }

    [Fact]
    public void ReadFile_BaseCycleOrMissingBase_IsAnErrorNamingTheFiles()
    {
        using var files = new PyConfigFiles(("a.py", "_base_ = 'b.py'\n"), ("b.py", "_base_ = 'a.py'\n"), ("c.py", "_base_ = 'missing.py'\n"));
        var cycle = Assert.Throws<InitCfgException>(() => files.Read("a.py"));
        Assert.Contains("inherits from itself", cycle.Message);
        var missing = Assert.Throws<InitCfgException>(() => files.Read("c.py"));
        Assert.Equal(ErrorIds.ConfigFileNotFound, missing.ErrorId);
        Assert.Contains("c.py:1:1", missing.Message);
    }

    [Fact]
    public void ReadFile_DuplicateKeyAmongBases_IsRefusedAsMmengineDoes()
    {
        using var files = new PyConfigFiles(("a.py", "x = 1\n"), ("b.py", "x = 2\n"), ("c.py", "_base_ = ['a.py', 'b.py']\n"));
        Assert.Equal(ErrorIds.DuplicateKey, Assert.Throws<InitCfgException>(() => files.Read("c.py")).ErrorId);
    }

    [Fact]
    public void ReadFile_ChildDictOverBaseList_IsRefusedAsMmengineDoes()
    {
        using var files = new PyConfigFiles(("a.py", "x = [1]\n"), ("b.py", "_base_ = 'a.py'\nx = dict(k=1)\n"));
        var e = Assert.Throws<InitCfgException>(() => files.Read("b.py"));
        Assert.Contains("_delete_=True", e.Message);
    }

    [Fact]
    public void ReadFile_MissingEnvironmentVariableWithoutDefault_IsAnError()
    {
        Refused("x = '{{$NOT_SET_ANYWHERE:}}'\n", ErrorIds.ConfigEvaluationError);
    }

    [Fact]
    public void ReadText_GarbageAfterExpression_IsASyntaxError()
    {
        var e = Assert.Throws<InitCfgException>(() => PythonConfig.ReadText("dict(a=1) dict(b=2)"));
        Assert.Equal(ErrorIds.ConfigSyntaxError, e.ErrorId);
    }
}
