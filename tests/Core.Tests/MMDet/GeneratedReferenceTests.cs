using System.IO.Compression;
using System.Text.Json;

namespace InitCfg.Core.Tests.MMDet;

/// <summary>
/// MMDetection 3.3's own build and init_weights of more detectors (Faster R-CNN, Mask R-CNN, ATSS, Cascade R-CNN,
/// Cascade Mask R-CNN, RegNet, DCN and DCNv2 backbones, Mask R-CNN with Swin-T, DETR, Deformable DETR plain and
/// with box refinement + two stages, DINO 4-scale), dumped by bench/mmdet_reference.py into
/// MMDet/References (see its README): every state entry bit-identical, as for the shared references.
/// </summary>
[Collection(InitCfg.Core.Tests.MMDet.DefaultGeneratorCollection.Name)]
public class GeneratedReferenceTests
{
    [Theory]
    [InlineData("faster-rcnn_r50_fpn_1x_coco")]
    [InlineData("mask-rcnn_r50_fpn_1x_coco")]
    [InlineData("atss_r50_fpn_1x_coco")]
    [InlineData("cascade-rcnn_r50_fpn_1x_coco")]
    [InlineData("cascade-mask-rcnn_r50_fpn_1x_coco")]
    [InlineData("retinanet_regnetx-3.2GF_fpn_1x_coco")]
    [InlineData("mask-rcnn_regnetx-3.2GF-mdconv-c3-c5_fpn_1x_coco")]
    [InlineData("faster-rcnn_r50-dconv-c3-c5_fpn_1x_coco")]
    [InlineData("faster-rcnn_r50-mdconv-c3-c5_fpn_1x_coco")]
    [InlineData("detr_r50_8xb2-150e_coco")]
    [InlineData("deformable-detr_r50_16xb2-50e_coco")]
    [InlineData("deformable-detr-refine-twostage_r50_16xb2-50e_coco")]
    [InlineData("dino-4scale_r50_8xb2-12e_coco")]
    [InlineData("dino-4scale_r50_improved_8xb2-12e_coco")]
    public void Reference_BuildSeed1InitSeed0_EveryStateEntryBitIdentical(string name) => AssertReference(name);

    /// <summary>
    /// Mask R-CNN with a Swin-T backbone (its Pretrained init removed, as in the shared references): truncated-normal
    /// draws within one ulp, everything else bit-identical.
    /// </summary>
    [Fact]
    public void SwinMaskRCNNReference_BuildSeed1InitSeed0_EveryStateEntryMatches() => AssertReference("mask-rcnn_swin-t-p4-w7_fpn_1x_coco");

    private static void AssertReference(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "MMDet", "References", name + ".json.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        MMDetReferenceTests.AssertMatches(doc.RootElement);
    }
}
