using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

/// <summary>
/// Files written by PyTorch 1.13's own <c>torch.save</c> (embedded, so these tests need no Python), and a scratch folder.
/// </summary>
internal static class TorchSaveSamples
{
    /// <summary>
    /// <c>torch.save(bn.state_dict(), 'bn.pth')</c> of <c>nn.BatchNorm1d(3)</c> with weight [1.5, -2, 0.25], bias [0.5, 1, 2],
    /// running_mean [0.1, 0.2, 0.3], running_var [4, 5, 6], num_batches_tracked 7 (an OrderedDict with _metadata, memo ops).
    /// </summary>
    public static readonly byte[] BatchNorm = Convert.FromBase64String(
        "UEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAALABcAYm4vZGF0YS5wa2xGQhMAWlpaWlpaWlpaWlpaWlpaWlpaWoACY2NvbGxlY3Rp" +
        "b25zCk9yZGVyZWREaWN0CnEAKVJxAShYBgAAAHdlaWdodHECY3RvcmNoLl91dGlscwpfcmVidWlsZF90ZW5zb3JfdjIKcQMoKFgH" +
        "AAAAc3RvcmFnZXEEY3RvcmNoCkZsb2F0U3RvcmFnZQpxBVgBAAAAMHEGWAMAAABjcHVxB0sDdHEIUUsASwOFcQlLAYVxColoAClS" +
        "cQt0cQxScQ1YBAAAAGJpYXNxDmgDKChoBGgFWAEAAAAxcQ9oB0sDdHEQUUsASwOFcRFLAYVxEoloAClScRN0cRRScRVYDAAAAHJ1" +
        "bm5pbmdfbWVhbnEWaAMoKGgEaAVYAQAAADJxF2gHSwN0cRhRSwBLA4VxGUsBhXEaiWgAKVJxG3RxHFJxHVgLAAAAcnVubmluZ192" +
        "YXJxHmgDKChoBGgFWAEAAAAzcR9oB0sDdHEgUUsASwOFcSFLAYVxIoloAClScSN0cSRScSVYEwAAAG51bV9iYXRjaGVzX3RyYWNr" +
        "ZWRxJmgDKChoBGN0b3JjaApMb25nU3RvcmFnZQpxJ1gBAAAANHEoaAdLAXRxKVFLACkpiWgAKVJxKnRxK1JxLHV9cS1YCQAAAF9t" +
        "ZXRhZGF0YXEuaAApUnEvWAAAAABxMH1xMVgHAAAAdmVyc2lvbnEySwJzc3NiLlBLBwjX2aP1+wEAAPsBAABQSwMEAAAICAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAkADgBibi9kYXRhLzBGQgoAWlpaWlpaWlpaWgAAwD8AAADAAACAPlBLBwj2qhXhDAAAAAwAAABQSwMEAAAI" +
        "CAAAAAAAAAAAAAAAAAAAAAAAAAkAPQBibi9kYXRhLzFGQjkAWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWlpaAAAAPwAAgD8AAABAUEsHCHOzQMEMAAAADAAAAFBLAwQAAAgIAAAAAAAAAAAAAAAAAAAAAAAACQA9" +
        "AGJuL2RhdGEvMkZCOQBaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlrNzMw9" +
        "zcxMPpqZmT5QSwcIIq3YbgwAAAAMAAAAUEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAJAD0AYm4vZGF0YS8zRkI5AFpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWgAAgEAAAKBAAADAQFBLBwgQE4u/DAAAAAwA" +
        "AABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAAAkAPQBibi9kYXRhLzRGQjkAWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaBwAAAAAAAABQSwcIcNbnbwgAAAAIAAAAUEsDBAAACAgAAAAAAAAAAAAAAAAAAAAA" +
        "AAAKAEAAYm4vdmVyc2lvbkZCPABaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlozClBLBwjRnmdVAgAAAAIAAABQSwECAAAAAAgIAAAAAAAA19mj9fsBAAD7AQAACwAAAAAAAAAAAAAAAAAAAAAAYm4vZGF0" +
        "YS5wa2xQSwECAAAAAAgIAAAAAAAA9qoV4QwAAAAMAAAACQAAAAAAAAAAAAAAAABLAgAAYm4vZGF0YS8wUEsBAgAAAAAICAAAAAAA" +
        "AHOzQMEMAAAADAAAAAkAAAAAAAAAAAAAAAAAnAIAAGJuL2RhdGEvMVBLAQIAAAAACAgAAAAAAAAirdhuDAAAAAwAAAAJAAAAAAAA" +
        "AAAAAAAAABwDAABibi9kYXRhLzJQSwECAAAAAAgIAAAAAAAAEBOLvwwAAAAMAAAACQAAAAAAAAAAAAAAAACcAwAAYm4vZGF0YS8z" +
        "UEsBAgAAAAAICAAAAAAAAHDW528IAAAACAAAAAkAAAAAAAAAAAAAAAAAHAQAAGJuL2RhdGEvNFBLAQIAAAAACAgAAAAAAADRnmdV" +
        "AgAAAAIAAAAKAAAAAAAAAAAAAAAAAJgEAABibi92ZXJzaW9uUEsGBiwAAAAAAAAAHgMtAAAAAAAAAAAABwAAAAAAAAAHAAAAAAAA" +
        "AIQBAAAAAAAAEgUAAAAAAABQSwYHAAAAAJYGAAAAAAAAAQAAAFBLBQYAAAAABwAHAIQBAAASBQAAAAA=");

    /// <summary>
    /// <c>torch.save({'meta': {'epoch': 3, 'lr': 0.01, 'name': 'x', 'flags': [True, None], 'shape': (1, 2)}, 'state_dict': sd})</c>
    /// where sd is an OrderedDict of DataParallel keys: <c>module.a</c> = arange(6)[1:4] (a view at offset 1),
    /// <c>module.b</c> = (arange(6).reshape(2, 3) * 10).t() (strided), <c>module.c</c> float16 [1.5, -0.5],
    /// <c>module.d</c> int64 [[1, -2], [3, 4]].
    /// </summary>
    public static readonly byte[] Wrapped = Convert.FromBase64String(
        "UEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAQABIAd3JhcHBlZC9kYXRhLnBrbEZCDgBaWlpaWlpaWlpaWlpaWoACfXEAKFgEAAAA" +
        "bWV0YXEBfXECKFgFAAAAZXBvY2hxA0sDWAIAAABscnEERz+EeuFHrhR7WAQAAABuYW1lcQVYAQAAAHhxBlgFAAAAZmxhZ3NxB11x" +
        "CCiITmVYBQAAAHNoYXBlcQlLAUsChnEKdVgKAAAAc3RhdGVfZGljdHELY2NvbGxlY3Rpb25zCk9yZGVyZWREaWN0CnEMKVJxDShY" +
        "CAAAAG1vZHVsZS5hcQ5jdG9yY2guX3V0aWxzCl9yZWJ1aWxkX3RlbnNvcl92MgpxDygoWAcAAABzdG9yYWdlcRBjdG9yY2gKRmxv" +
        "YXRTdG9yYWdlCnERWAEAAAAwcRJYAwAAAGNwdXETSwZ0cRRRSwFLA4VxFUsBhXEWiWgMKVJxF3RxGFJxGVgIAAAAbW9kdWxlLmJx" +
        "GmgPKChoEGgRWAEAAAAxcRtoE0sGdHEcUUsASwNLAoZxHUsBSwOGcR6JaAwpUnEfdHEgUnEhWAgAAABtb2R1bGUuY3EiaA8oKGgQ" +
        "Y3RvcmNoCkhhbGZTdG9yYWdlCnEjWAEAAAAycSRoE0sCdHElUUsASwKFcSZLAYVxJ4loDClScSh0cSlScSpYCAAAAG1vZHVsZS5k" +
        "cStoDygoaBBjdG9yY2gKTG9uZ1N0b3JhZ2UKcSxYAQAAADNxLWgTSwR0cS5RSwBLAksChnEvSwJLAYZxMIloDClScTF0cTJScTN1" +
        "dS5QSwcIDq9L0xoCAAAaAgAAUEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAOACoAd3JhcHBlZC9kYXRhLzBGQiYAWlpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWloAAAAAAACAPwAAAEAAAEBAAACAQAAAoEBQSwcIF5DnkRgAAAAYAAAAUEsDBAAA" +
        "CAgAAAAAAAAAAAAAAAAAAAAAAAAOACwAd3JhcHBlZC9kYXRhLzFGQigAWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlpaWgAAAAAAACBBAACgQQAA8EEAACBCAABIQlBLBwjAcyNWGAAAABgAAABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAAA4A" +
        "LAB3cmFwcGVkL2RhdGEvMkZCKABaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaAD4AuFBLBwg4LAvKBAAA" +
        "AAQAAABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAAA4AQAB3cmFwcGVkL2RhdGEvM0ZCPABaWlpaWlpaWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWloBAAAAAAAAAP7/////////AwAAAAAAAAAEAAAAAAAAAFBLBwiF" +
        "3mNoIAAAACAAAABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAAA8AIwB3cmFwcGVkL3ZlcnNpb25GQh8AWlpaWlpaWlpaWlpaWlpa" +
        "WlpaWlpaWlpaWlpaWlpaWjMKUEsHCNGeZ1UCAAAAAgAAAFBLAQIAAAAACAgAAAAAAAAOr0vTGgIAABoCAAAQAAAAAAAAAAAAAAAA" +
        "AAAAAAB3cmFwcGVkL2RhdGEucGtsUEsBAgAAAAAICAAAAAAAABeQ55EYAAAAGAAAAA4AAAAAAAAAAAAAAAAAagIAAHdyYXBwZWQv" +
        "ZGF0YS8wUEsBAgAAAAAICAAAAAAAAMBzI1YYAAAAGAAAAA4AAAAAAAAAAAAAAAAA6AIAAHdyYXBwZWQvZGF0YS8xUEsBAgAAAAAI" +
        "CAAAAAAAADgsC8oEAAAABAAAAA4AAAAAAAAAAAAAAAAAaAMAAHdyYXBwZWQvZGF0YS8yUEsBAgAAAAAICAAAAAAAAIXeY2ggAAAA" +
        "IAAAAA4AAAAAAAAAAAAAAAAA1AMAAHdyYXBwZWQvZGF0YS8zUEsBAgAAAAAICAAAAAAAANGeZ1UCAAAAAgAAAA8AAAAAAAAAAAAA" +
        "AAAAcAQAAHdyYXBwZWQvdmVyc2lvblBLBgYsAAAAAAAAAB4DLQAAAAAAAAAAAAYAAAAAAAAABgAAAAAAAABrAQAAAAAAANIEAAAA" +
        "AAAAUEsGBwAAAAA9BgAAAAAAAAEAAABQSwUGAAAAAAYABgBrAQAA0gQAAAAA");

    /// <summary>Writes bytes to a file in <paramref name="folder"/> and returns its path.</summary>
    public static string WriteTo(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A float32 tensor with these values and shape.</summary>
    public static Tensor F32(float[] values, params long[] shape) => tensor(values).reshape(shape.Length == 0 ? new long[] { values.Length } : shape);
}
