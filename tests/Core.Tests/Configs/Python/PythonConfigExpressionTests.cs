namespace InitCfg.Core.Tests.Configs.Python;

public class PythonConfigExpressionTests
{
    [Fact]
    public void ReadFile_Arithmetic_FollowsPythonTypesAndRounding()
    {
        var cfg = PyConfigFiles.One("""
            a = 7 / 2
            b = 7 // 2
            c = -7 // 2
            d = -7 % 3
            e = 2 ** 10
            f = 2 ** -1
            g = -(3 + 4) * 2
            h = 0.1 * 3
            i = 10 - 2.5
            lr = 0.02 / 8 * 2
            """);
        Assert.Equal("""{"a":3.5,"b":3,"c":-4,"d":2,"e":1024,"f":0.5,"g":-14,"h":0.30000000000000004,"i":7.5,"lr":0.005}""", PyConfigFiles.Json(cfg));
    }

    [Fact]
    public void ReadFile_SequenceOperators_ConcatenateAndRepeat()
    {
        var cfg = PyConfigFiles.One("""
            a = [1, 2] + [3]
            b = (1,) + (2, 3)
            c = 'ab' * 3
            d = [0] * 3
            e = 2 * (7,)
            f = 'x' + 'y'
            g = '' * 10**18
            h = [] * 10**18
            i = []
            i *= 10**18
            """);
        Assert.Equal("""{"a":[1,2,3],"b":[1,2,3],"c":"ababab","d":[0,0,0],"e":[7,7],"f":"xy","g":"","h":[],"i":[]}""", PyConfigFiles.Json(cfg));
    }

    [Fact]
    public void ReadFile_SubscriptsSlicesAndConditionals_Evaluate()
    {
        var cfg = PyConfigFiles.One("""
            x = [10, 20, 30, 40]
            d = dict(k='v')
            first = x[0]
            last = x[-1]
            key = d['k']
            mid = x[1:3]
            step = x[::2]
            rev = x[::-1]
            text = 'resnet50'[:6]
            cond = 'big' if len(x) > 3 else 'small'
            ok = 20 in x and 'k' in d and not (5 in x)
            chained = 1 < 2 < 3
            """);
        Assert.Equal("""{"x":[10,20,30,40],"d":{"k":"v"},"first":10,"last":40,"key":"v","mid":[20,30],"step":[10,30],"rev":[40,30,20,10],"text":"resnet","cond":"big","ok":true,"chained":true}""", PyConfigFiles.Json(cfg));
    }

    [Fact]
    public void ReadFile_ComprehensionsAndBuiltins_Evaluate()
    {
        var cfg = PyConfigFiles.One("""
            scales = [(1333, 640 + 32 * i) for i in range(3)]
            squares = {f'l{i}': i * i for i in range(3) if i}
            pairs = list(zip(['a', 'b'], (1, 2)))
            numbered = [dict(index=i, name=n) for i, n in enumerate(['x', 'y'], start=1)]
            nested = [a * b for a in (1, 2) for b in (10, 100)]
            stats = [len('abc'), min(3, 1, 2), max([4, 9]), sum([1, 2, 3])]
            conv = [int('7'), float(2), str(3), bool(0), abs(-2), round(2.5), tuple([1]), sorted([3, 1])]
            """);
        Assert.Equal("""[[1333,640],[1333,672],[1333,704]]""", PyConfigFiles.Json(cfg["scales"]));
        Assert.Equal("""{"l1":1,"l2":4}""", PyConfigFiles.Json(cfg["squares"]));
        Assert.Equal("""[["a",1],["b",2]]""", PyConfigFiles.Json(cfg["pairs"]));
        Assert.Equal("""[{"index":1,"name":"x"},{"index":2,"name":"y"}]""", PyConfigFiles.Json(cfg["numbered"]));
        Assert.Equal("""[10,100,20,200]""", PyConfigFiles.Json(cfg["nested"]));
        Assert.Equal("""[3,1,9,6]""", PyConfigFiles.Json(cfg["stats"]));
        Assert.Equal("""[7,2.0,"3",false,2,2,[1],[1,3]]""", PyConfigFiles.Json(cfg["conv"]));
    }

    [Fact]
    public void ReadFile_Statements_MutateValuesAsPythonDoes()
    {
        var cfg = PyConfigFiles.One("""
            model = dict(type='X', backbone=dict(depth=50), neck=dict(a=1))
            alias = model['backbone']
            model['backbone']['depth'] = 101
            model['neck'].update(dict(b=2), c=3)
            removed = model['neck'].pop('a')
            frozen = model.copy()
            frozen['type'] = 'Y'
            stages = [1, 2]
            more = stages
            more += [3]
            count = 1
            count *= 4
            tmp = 5
            del tmp
            first, *rest = [1, 2, 3]
            """);
        Assert.Equal("""{"depth":101}""", PyConfigFiles.Json(cfg["alias"]));
        Assert.Equal("""{"type":"X","backbone":{"depth":101},"neck":{"b":2,"c":3}}""", PyConfigFiles.Json(cfg["model"]));
        Assert.Equal(1L, cfg["removed"]);
        Assert.Equal("Y", ((InitCfg.Core.Configs.ConfigMap)cfg["frozen"]!)["type"]);
        Assert.Equal("""[1,2,3]""", PyConfigFiles.Json(cfg["stages"]));
        Assert.Equal(4L, cfg["count"]);
        Assert.False(cfg.Contains("tmp"));
        Assert.Equal("""[2,3]""", PyConfigFiles.Json(cfg["rest"]));
    }

    [Fact]
    public void ReadFile_StringMethodsAndFormatting_Evaluate()
    {
        var cfg = PyConfigFiles.One("""
            a = '{}_{:03d}'.format('r', 7)
            b = '%s-%d' % ('x', 3)
            c = '/'.join(['data', 'coco'])
            d = 'a,b'.split(',')
            e = 'Name'.lower().startswith('n')
            """);
        Assert.Equal("""{"a":"r_007","b":"x-3","c":"data/coco","d":["a","b"],"e":true}""", PyConfigFiles.Json(cfg));
    }

    [Fact]
    public void ReadFile_ModuleLevelNames_BecomeKeysExceptDunderModulesAndFunctions()
    {
        var cfg = PyConfigFiles.One("""
            import copy
            import math
            __hidden = 1
            _scope_ = 'mmdet'
            custom_imports = dict(imports=['projects.x'], allow_failed_imports=False)
            backbone = dict(type='mmpretrain.ConvNeXt', arch='tiny')
            copied = copy.deepcopy(backbone)
            root = math.sqrt(16)
            def unused(x):
                return x + 1
            """);
        Assert.Equal(new[] { "_scope_", "custom_imports", "backbone", "copied", "root" }, cfg.Keys);
        Assert.Equal("mmpretrain.ConvNeXt", ((InitCfg.Core.Configs.ConfigMap)cfg["copied"]!)["type"]);
        Assert.Equal(4.0, cfg["root"]);
    }
}
