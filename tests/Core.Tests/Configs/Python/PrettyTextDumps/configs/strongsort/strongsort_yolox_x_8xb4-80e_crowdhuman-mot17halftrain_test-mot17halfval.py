auto_scale_lr = dict(base_batch_size=64, enable=False)
backend_args = None
base_lr = 0.0005
batch_size = 4
data_root = 'data/MOT17/'
dataset_type = 'MOTChallengeDataset'
default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=5, type='CheckpointHook'),
    logger=dict(interval=1, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'),
    visualization=dict(type='DetVisualizationHook'))
default_scope = 'mmdet'
detector = dict(
    backbone=dict(
        act_cfg=dict(type='Swish'),
        deepen_factor=1.33,
        norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
        out_indices=(
            2,
            3,
            4,
        ),
        spp_kernal_sizes=(
            5,
            9,
            13,
        ),
        type='CSPDarknet',
        use_depthwise=False,
        widen_factor=1.25),
    bbox_head=dict(
        act_cfg=dict(type='Swish'),
        feat_channels=320,
        in_channels=320,
        loss_bbox=dict(
            eps=1e-16,
            loss_weight=5.0,
            mode='square',
            reduction='sum',
            type='IoULoss'),
        loss_cls=dict(
            loss_weight=1.0,
            reduction='sum',
            type='CrossEntropyLoss',
            use_sigmoid=True),
        loss_l1=dict(loss_weight=1.0, reduction='sum', type='L1Loss'),
        loss_obj=dict(
            loss_weight=1.0,
            reduction='sum',
            type='CrossEntropyLoss',
            use_sigmoid=True),
        norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
        num_classes=1,
        stacked_convs=2,
        strides=(
            8,
            16,
            32,
        ),
        type='YOLOXHead',
        use_depthwise=False),
    init_cfg=dict(
        checkpoint=
        'https://download.openmmlab.com/mmdetection/v2.0/yolox/yolox_x_8x8_300e_coco/yolox_x_8x8_300e_coco_20211126_140254-1ef88d67.pth',
        type='Pretrained'),
    neck=dict(
        act_cfg=dict(type='Swish'),
        in_channels=[
            320,
            640,
            1280,
        ],
        norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
        num_csp_blocks=4,
        out_channels=320,
        type='YOLOXPAFPN',
        upsample_cfg=dict(mode='nearest', scale_factor=2),
        use_depthwise=False),
    test_cfg=dict(nms=dict(iou_threshold=0.7, type='nms'), score_thr=0.01),
    train_cfg=dict(assigner=dict(center_radius=2.5, type='SimOTAAssigner')),
    type='YOLOX')
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
img_scale = (
    1440,
    800,
)
img_scales = [
    (
        640,
        640,
    ),
    (
        320,
        320,
    ),
    (
        960,
        960,
    ),
]
interval = 5
load_from = None
log_level = 'INFO'
log_processor = dict(by_epoch=True, type='LogProcessor', window_size=50)
max_epochs = 80
model = dict(
    cmc=dict(
        num_iters=100,
        stop_eps=1e-05,
        type='CameraMotionCompensation',
        warp_mode='cv2.MOTION_EUCLIDEAN'),
    data_preprocessor=dict(
        batch_augments=[
            dict(
                interval=10,
                random_size_range=(
                    576,
                    1024,
                ),
                size_divisor=32,
                type='BatchSyncRandomResize'),
        ],
        pad_size_divisor=32,
        type='TrackDataPreprocessor'),
    detector=dict(
        backbone=dict(
            act_cfg=dict(type='Swish'),
            deepen_factor=1.33,
            norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
            out_indices=(
                2,
                3,
                4,
            ),
            spp_kernal_sizes=(
                5,
                9,
                13,
            ),
            type='CSPDarknet',
            use_depthwise=False,
            widen_factor=1.25),
        bbox_head=dict(
            act_cfg=dict(type='Swish'),
            feat_channels=320,
            in_channels=320,
            loss_bbox=dict(
                eps=1e-16,
                loss_weight=5.0,
                mode='square',
                reduction='sum',
                type='IoULoss'),
            loss_cls=dict(
                loss_weight=1.0,
                reduction='sum',
                type='CrossEntropyLoss',
                use_sigmoid=True),
            loss_l1=dict(loss_weight=1.0, reduction='sum', type='L1Loss'),
            loss_obj=dict(
                loss_weight=1.0,
                reduction='sum',
                type='CrossEntropyLoss',
                use_sigmoid=True),
            norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
            num_classes=1,
            stacked_convs=2,
            strides=(
                8,
                16,
                32,
            ),
            type='YOLOXHead',
            use_depthwise=False),
        init_cfg=dict(
            checkpoint=
            'https://download.openmmlab.com/mmdetection/v2.0/yolox/yolox_x_8x8_300e_coco/yolox_x_8x8_300e_coco_20211126_140254-1ef88d67.pth',
            type='Pretrained'),
        neck=dict(
            act_cfg=dict(type='Swish'),
            in_channels=[
                320,
                640,
                1280,
            ],
            norm_cfg=dict(eps=0.001, momentum=0.03, type='BN'),
            num_csp_blocks=4,
            out_channels=320,
            type='YOLOXPAFPN',
            upsample_cfg=dict(mode='nearest', scale_factor=2),
            use_depthwise=False),
        test_cfg=dict(nms=dict(iou_threshold=0.7, type='nms'), score_thr=0.01),
        train_cfg=dict(
            assigner=dict(center_radius=2.5, type='SimOTAAssigner')),
        type='YOLOX'),
    postprocess_model=dict(
        checkpoint=
        'https://download.openmmlab.com/mmtracking/mot/strongsort/mot_dataset/aflink_motchallenge_20220812_190310-a7578ad3.pth',
        confidence_threshold=0.95,
        spatial_threshold=50,
        temporal_threshold=(
            0,
            30,
        ),
        type='AppearanceFreeLink'),
    reid=dict(
        backbone=dict(
            depth=50,
            num_stages=4,
            out_indices=(3, ),
            style='pytorch',
            type='mmpretrain.ResNet'),
        data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor'),
        head=dict(
            act_cfg=dict(type='ReLU'),
            fc_channels=1024,
            in_channels=2048,
            loss_cls=dict(loss_weight=1.0, type='mmpretrain.CrossEntropyLoss'),
            loss_triplet=dict(loss_weight=1.0, margin=0.3, type='TripletLoss'),
            norm_cfg=dict(type='BN1d'),
            num_classes=380,
            num_fcs=1,
            out_channels=128,
            type='LinearReIDHead'),
        neck=dict(kernel_size=(
            8,
            4,
        ), stride=1, type='GlobalAveragePooling'),
        type='BaseReID'),
    tracker=dict(
        match_iou_thr=0.7,
        momentums=dict(embeds=0.1),
        motion=dict(center_only=False, type='KalmanFilter', use_nsa=True),
        num_frames_retain=100,
        num_tentatives=2,
        obj_score_thr=0.6,
        reid=dict(
            img_norm_cfg=dict(
                mean=[
                    123.675,
                    116.28,
                    103.53,
                ],
                std=[
                    58.395,
                    57.12,
                    57.375,
                ],
                to_rgb=True),
            img_scale=(
                256,
                128,
            ),
            match_score_thr=0.3,
            motion_weight=0.02,
            num_samples=None),
        type='StrongSORTTracker'),
    type='StrongSORT')
num_last_epochs = 10
optim_wrapper = None
resume = False
test_cfg = dict(type='TestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        ann_file='annotations/half-val_cocoformat.json',
        data_prefix=dict(img_path='train'),
        data_root='data/MOT17/',
        pipeline=[
            dict(
                transforms=[
                    dict(backend_args=None, type='LoadImageFromFile'),
                    dict(keep_ratio=True, scale=(
                        1440,
                        800,
                    ), type='Resize'),
                    dict(
                        pad_val=dict(img=(
                            114.0,
                            114.0,
                            114.0,
                        )),
                        size_divisor=32,
                        type='Pad'),
                    dict(type='LoadTrackAnnotations'),
                ],
                type='TransformBroadcaster'),
            dict(type='PackTrackInputs'),
        ],
        test_mode=True,
        type='MOTChallengeDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    metric=[
        'HOTA',
        'CLEAR',
        'Identity',
    ],
    postprocess_tracklet_cfg=[
        dict(
            max_num_frames=20,
            min_num_frames=5,
            smooth_tau=10,
            type='InterpolateTracklets',
            use_gsi=True),
    ],
    type='MOTChallengeMetric',
    use_postprocess=True)
test_pipeline = [
    dict(
        transforms=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                1440,
                800,
            ), type='Resize'),
            dict(
                pad_val=dict(img=(
                    114.0,
                    114.0,
                    114.0,
                )),
                size_divisor=32,
                type='Pad'),
            dict(type='LoadTrackAnnotations'),
        ],
        type='TransformBroadcaster'),
    dict(type='PackTrackInputs'),
]
train_cfg = None
train_dataloader = None
train_pipeline = None
val_cfg = dict(type='ValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        ann_file='annotations/half-val_cocoformat.json',
        data_prefix=dict(img_path='train'),
        data_root='data/MOT17/',
        pipeline=[
            dict(
                transforms=[
                    dict(backend_args=None, type='LoadImageFromFile'),
                    dict(keep_ratio=True, scale=(
                        1440,
                        800,
                    ), type='Resize'),
                    dict(
                        pad_val=dict(img=(
                            114.0,
                            114.0,
                            114.0,
                        )),
                        size_divisor=32,
                        type='Pad'),
                    dict(type='LoadTrackAnnotations'),
                ],
                type='TransformBroadcaster'),
            dict(type='PackTrackInputs'),
        ],
        test_mode=True,
        type='MOTChallengeDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(round_up=False, shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    metric=[
        'HOTA',
        'CLEAR',
        'Identity',
    ],
    postprocess_tracklet_cfg=[
        dict(
            max_num_frames=20,
            min_num_frames=5,
            smooth_tau=10,
            type='InterpolateTracklets',
            use_gsi=True),
    ],
    type='MOTChallengeMetric',
    use_postprocess=True)
vis_backends = [
    dict(type='LocalVisBackend'),
]
visualizer = dict(
    name='visualizer',
    type='DetLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
