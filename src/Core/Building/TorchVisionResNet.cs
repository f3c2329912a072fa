#nullable enable
using InitCfg.Core.Initializers;
using InitCfg.Core.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InitCfg.Core.Building;

/// <summary>
/// torchvision's ResNets as TorchSharp's TorchVision builds them: the same children, names, classes and forward, and
/// the same values from the same generator state, without the draws its constructors make only for its init to
/// overwrite. Each convolution's <c>kaiming_uniform_</c> at construction is replaced by moving the stream past it
/// (one draw per element, known from the shape), and the <c>kaiming_normal_</c> that replaces its values runs on the
/// engine's own kernels on every core; PyTorch and TorchSharp draw a ResNet-152's 58M convolution weights twice,
/// serially, this once. Where the stream cannot be read (another generator kind) or tensors are not made on the CPU
/// (a lazy build), TorchSharp's own constructor builds it.
/// </summary>
internal static class TorchVisionResNet
{
    private static readonly Device Meta = new(TorchSharp.DeviceType.META);

    public static nn.Module Build(int depth, int classes, bool zeroInitResidual)
    {
        if (get_default_device().type != TorchSharp.DeviceType.CPU) return Original(depth, classes, zeroInitResidual);
        using (var state = get_rng_state())
            if (Mt19937State.FromBytes(state.bytes) is null) return Original(depth, classes, zeroInitResidual);

        var (bottleneck, blocks) = depth switch
        {
            18 => (false, new[] { 2, 2, 2, 2 }),
            34 => (false, new[] { 3, 4, 6, 3 }),
            50 => (true, new[] { 3, 4, 6, 3 }),
            101 => (true, new[] { 3, 4, 23, 3 }),
            _ => (true, new[] { 3, 8, 36, 3 }),
        };
        var builder = new Builder();
        var model = new ResNet($"ResNet{depth}", builder, bottleneck, blocks, classes);
        using var noGrad = no_grad();
        // The kaiming_normal_ TorchSharp's ResNet gives every convolution (fan_out, ReLU gain), in named_modules order.
        foreach (var (_, m) in model.named_modules())
            if (m is Conv2d conv)
            {
                var w = conv.weight!;
                double fanOut = w.shape[0] * (w.numel() / (w.shape[0] * w.shape[1]));
                ParallelDraws.Normal(w, 0, Math.Sqrt(2.0) / Math.Sqrt(fanOut), null);
            }
        if (zeroInitResidual)
            foreach (var (_, m) in model.named_modules())
                if (m is Block block) block.LastNorm.weight!.Fill(0);
        return model;
    }

    private static nn.Module Original(int depth, int classes, bool zeroInitResidual) => depth switch
    {
        18 => TorchSharp.torchvision.models.resnet18(classes, zeroInitResidual),
        34 => TorchSharp.torchvision.models.resnet34(classes, zeroInitResidual),
        50 => TorchSharp.torchvision.models.resnet50(classes, zeroInitResidual),
        101 => TorchSharp.torchvision.models.resnet101(classes, zeroInitResidual),
        _ => TorchSharp.torchvision.models.resnet152(classes, zeroInitResidual),
    };

    // Makes the layers in TorchSharp's construction order, keeping count of the draws its constructors would take.
    private sealed class Builder
    {
        private long _skipped;

        // A convolution without the construction draws: made on the meta device (whose init draws nothing), then
        // given CPU storage that kaiming_normal_ fills later.
        public Conv2d Conv(long inC, long outC, long kernel, long stride = 1, long padding = 0, long groups = 1, long dilation = 1)
        {
            var conv = nn.Conv2d(inC, outC, kernel, stride: stride, padding: padding, dilation: dilation, groups: groups, bias: false, device: Meta);
            var shape = conv.weight!.shape;
            conv.weight = new Parameter(empty(shape));
            _skipped += conv.weight.numel(); // kaiming_uniform_: one 32-bit draw per float
            return conv;
        }

        // The classifier keeps its construction values: the stream is first moved past every convolution's draws.
        public Linear Classifier(long inFeatures, long classes)
        {
            using (var bytes = get_rng_state())
            {
                var state = Mt19937State.FromBytes(bytes.bytes)!;
                state.Advance(_skipped);
                using var moved = tensor(state.ToBytes(), ScalarType.Byte);
                set_rng_state(moved);
            }
            _skipped = 0;
            return nn.Linear(inFeatures, classes);
        }
    }

    private abstract class Block : nn.Module<Tensor, Tensor>, INamedModuleClass
    {
        protected Block(string name) : base(name) { }

        public abstract BatchNorm2d LastNorm { get; }

        public string ClassName => GetName();

        public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

        protected override void Dispose(bool disposing)
        {
            if (disposing) foreach (var (_, m) in named_children()) m.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class BasicBlock : Block
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly ReLU relu1;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public BasicBlock(Builder b, long inPlanes, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) : base("BasicBlock")
        {
            register_module("conv1", conv1 = b.Conv(inPlanes, planes, 3, stride: stride, padding: 1));
            register_module("bn1", bn1 = nn.BatchNorm2d(planes));
            register_module("conv2", conv2 = b.Conv(planes, planes, 3, padding: 1));
            register_module("bn2", bn2 = nn.BatchNorm2d(planes));
            register_module("relu1", relu1 = nn.ReLU(inplace: true));
            this.downsample = downsample;
            if (downsample is not null) register_module("downsample", downsample);
        }

        public override BatchNorm2d LastNorm => bn2;

        public override Tensor forward(Tensor input)
        {
            var x = relu1.call(bn1.call(conv1.call(input)));
            x = bn2.call(conv2.call(x));
            var identity = downsample is null ? input : downsample.call(input);
            return x.AddInPlace(identity).relu_();
        }
    }

    private sealed class Bottleneck : Block
    {
        private readonly Conv2d conv1, conv2, conv3;
        private readonly BatchNorm2d bn1, bn2, bn3;
        private readonly ReLU relu1, relu2;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public Bottleneck(Builder b, long inPlanes, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) : base("Bottleneck")
        {
            long width = planes; // groups 1, base width 64
            register_module("conv1", conv1 = b.Conv(inPlanes, width, 1));
            register_module("bn1", bn1 = nn.BatchNorm2d(width));
            register_module("conv2", conv2 = b.Conv(width, width, 3, stride: stride, padding: 1));
            register_module("bn2", bn2 = nn.BatchNorm2d(width));
            register_module("conv3", conv3 = b.Conv(width, 4 * planes, 1));
            register_module("bn3", bn3 = nn.BatchNorm2d(4 * planes));
            register_module("relu1", relu1 = nn.ReLU(inplace: true));
            register_module("relu2", relu2 = nn.ReLU(inplace: true));
            this.downsample = downsample;
            if (downsample is not null) register_module("downsample", downsample);
        }

        public override BatchNorm2d LastNorm => bn3;

        public override Tensor forward(Tensor input)
        {
            var x = relu1.call(bn1.call(conv1.call(input)));
            x = relu2.call(bn2.call(conv2.call(x)));
            x = bn3.call(conv3.call(x));
            var identity = downsample is null ? input : downsample.call(input);
            return x.AddInPlace(identity).relu_();
        }
    }

    private sealed class ResNet : nn.Module<Tensor, Tensor>, INamedModuleClass
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly ReLU relu;
        private readonly MaxPool2d maxpool;
        private readonly Sequential layer1, layer2, layer3, layer4;
        private readonly AdaptiveAvgPool2d avgpool;
        private readonly Flatten flatten;
        private readonly Linear fc;

        public ResNet(string name, Builder b, bool bottleneck, int[] blocks, long classes) : base(name)
        {
            long expansion = bottleneck ? 4 : 1, inPlanes = 64;
            Sequential Layer(long planes, int count, long stride)
            {
                nn.Module<Tensor, Tensor>? downsample = null;
                if (stride != 1 || inPlanes != planes * expansion)
                    downsample = nn.Sequential(b.Conv(inPlanes, planes * expansion, 1, stride: stride), nn.BatchNorm2d(planes * expansion));
                var layer = nn.Sequential();
                layer.append(Block(inPlanes, planes, stride, downsample));
                inPlanes = planes * expansion;
                for (int i = 1; i < count; i++) layer.append(Block(inPlanes, planes, 1, null));
                return layer;
            }
            nn.Module<Tensor, Tensor> Block(long inP, long planes, long stride, nn.Module<Tensor, Tensor>? downsample) =>
                bottleneck ? new Bottleneck(b, inP, planes, stride, downsample) : new BasicBlock(b, inP, planes, stride, downsample);

            register_module("conv1", conv1 = b.Conv(3, 64, 7, stride: 2, padding: 3));
            register_module("bn1", bn1 = nn.BatchNorm2d(64));
            register_module("relu", relu = nn.ReLU(inplace: true));
            register_module("maxpool", maxpool = nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1));
            register_module("layer1", layer1 = Layer(64, blocks[0], 1));
            register_module("layer2", layer2 = Layer(128, blocks[1], 2));
            register_module("layer3", layer3 = Layer(256, blocks[2], 2));
            register_module("layer4", layer4 = Layer(512, blocks[3], 2));
            register_module("avgpool", avgpool = nn.AdaptiveAvgPool2d(new long[] { 1, 1 }));
            register_module("flatten", flatten = nn.Flatten());
            register_module("fc", fc = b.Classifier(512 * expansion, classes));
        }

        public string ClassName => "ResNet";

        public IReadOnlyList<string> BaseClassNames { get; } = new[] { "Module" };

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = maxpool.call(relu.call(bn1.call(conv1.call(input))));
            x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
            var result = fc.call(flatten.call(avgpool.call(x)));
            scope.MoveToOuter(result);
            return result;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) foreach (var (_, m) in named_children()) m.Dispose();
            base.Dispose(disposing);
        }
    }
}
