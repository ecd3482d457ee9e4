<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../goci_resample_plugin/processing/algorithm.py" line="19"/>
        <source>Resampling</source>
        <translation>重采样</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="68"/>
        <source>Input root (one sub-folder per scene)</source>
        <translation>输入根目录（每景一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="79"/>
        <source>Also write one .npy file per band</source>
        <translation>同时为每个波段写出一个 .npy 文件</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="94"/>
        <source>Scenes processed at once (worker processes)</source>
        <translation>同时处理的景数（工作进程数）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="102"/>
        <source>Compare each result with its Landsat scene</source>
        <translation>将每个结果与对应的 Landsat 景进行比较</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="115"/>
        <source>Load each result with its Landsat layer (one group per scene)</source>
        <translation>加载每个结果及其 Landsat 图层（每景一个图层组）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="122"/>
        <source>Output root</source>
        <translation>输出根目录</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="128"/>
        <source>Batch report (CSV)</source>
        <translation>批处理报告（CSV）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="129"/>
        <source>Scenes resampled</source>
        <translation>已重采样的景数</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="129"/>
        <source>Scenes skipped (output already complete)</source>
        <translation>跳过的景数（输出已完整）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="129"/>
        <source>Scenes failed</source>
        <translation>失败的景数</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="129"/>
        <source>Folders without a GOCI/Landsat pair</source>
        <translation>缺少 GOCI/Landsat 影像对的文件夹数</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="151"/>
        <source>The folder with one sub-folder per Landsat scene.</source>
        <translation>包含各景子文件夹的文件夹，每个子文件夹对应一景 Landsat 影像。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="159"/>
        <source>Also write each band as &amp;lt;output stem&amp;gt;_L_TOA_&amp;lt;nm&amp;gt;.npy (float32, NaN = no data) for numpy users.</source>
        <translation>同时将每个波段写为 &amp;lt;output stem&amp;gt;_L_TOA_&amp;lt;nm&amp;gt;.npy（float32，NaN = 无数据），供 numpy 用户使用。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="200"/>
        <source>Off (default). On: when the run ends, each result and its Landsat layer load into a layer group named after the scene, the result styled as a true-colour composite, for an overlap check. Ignored where there is no project (qgis_process).</source>
        <translation>关闭（默认）。开启：运行结束后，每个结果及其 Landsat 图层会加载到以该景命名的图层组中，结果以真彩色合成显示，便于检查二者是否重合。没有工程时（qgis_process）忽略此项。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="206"/>
        <source>Where the outputs and batch_report.csv go (created if needed).</source>
        <translation>输出文件和 batch_report.csv 的存放位置（必要时自动创建）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="207"/>
        <source>The path of batch_report.csv.</source>
        <translation>batch_report.csv 的路径。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="217"/>
        <source>INPUT_ROOT: choose the folder of scene folders.</source>
        <translation>INPUT_ROOT：请选择包含各景子文件夹的文件夹。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="244"/>
        <source>{count} scene(s) failed; see {report}.</source>
        <translation>{count} 景处理失败；详见 {report}。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="264"/>
        <source>LOAD_OUTPUTS ignored: there is no project to load into.</source>
        <translation>已忽略 LOAD_OUTPUTS：没有可供加载图层的工程。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="49"/>
        <source>Compare GOCI on Landsat with Landsat</source>
        <translation>比较 Landsat 网格上的 GOCI 与 Landsat</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="52"/>
        <source>goci,landsat,compare,bias,rmse,regression,shift,misregistration</source>
        <translation>goci,landsat,compare,比较,bias,偏差,rmse,regression,回归,shift,偏移,misregistration,配准偏差</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="55"/>
        <source>GOCI on Landsat grid (a resample output)</source>
        <translation>Landsat 网格上的 GOCI（重采样输出）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="57"/>
        <source>Landsat raster</source>
        <translation>Landsat 栅格</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="69"/>
        <source>Band pairs GOCI nm:Landsat band (empty = by wavelength)</source>
        <translation>波段配对 GOCI nm:Landsat 波段（留空 = 按波长配对）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="61"/>
        <source>Block size for block statistics (target pixels)</source>
        <translation>块统计的块大小（目标像元数）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="88"/>
        <source>Statistics table</source>
        <translation>统计表</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="88"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="90"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="90"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="69"/>
        <source>Relative difference (GOCI − Landsat) / Landsat</source>
        <translation>相对差异 (GOCI − Landsat) / Landsat</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Confidence of the offset (0–1)</source>
        <translation>偏移量的置信度（0–1）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="110"/>
        <source>A raster written by the resample algorithms (bands L_TOA_&amp;lt;nm&amp;gt;).</source>
        <translation>由重采样算法输出的栅格（波段 L_TOA_&amp;lt;nm&amp;gt;）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="111"/>
        <source>The Landsat raster on the same grid; its nodata marks pixels outside.</source>
        <translation>位于同一网格上的 Landsat 栅格；其无数据值标记影像范围以外的像元。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="112"/>
        <source>e.g. &lt;code&gt;443:1,490:2,555:3,660:4,865:5&lt;/code&gt;. Empty: each GOCI band is paired with the Landsat band nearest in wavelength (from WAVELENGTH_NM band metadata, else the Landsat 8/9 OLI band order), within 40 nm.</source>
        <translation>例如 &lt;code&gt;443:1,490:2,555:3,660:4,865:5&lt;/code&gt;。留空：每个 GOCI 波段与波长最接近的 Landsat 波段配对（波长取自波段元数据 WAVELENGTH_NM，否则按 Landsat 8/9 OLI 的波段顺序），波长差不超过 40 nm。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="117"/>
        <source>Block size in target pixels for the block statistics and the offset.</source>
        <translation>块统计和偏移估计所用的块大小（以目标像元计）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="119"/>
        <source>CSV: one row per band pair and scale.</source>
        <translation>CSV：每个波段对、每个尺度各一行。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="120"/>
        <source>Self-contained HTML: offset, table and density plots.</source>
        <translation>独立的 HTML 文件：偏移量、统计表和密度散点图。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="121"/>
        <source>Optional GeoTIFF: (GOCI − Landsat) / Landsat per band pair, NaN where either has no data. Skipped when left empty.</source>
        <translation>可选的 GeoTIFF：每个波段对的 (GOCI − Landsat) / Landsat，任一方无数据处为 NaN。留空则不生成。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="101"/>
        <source>Resampling method</source>
        <translation>重采样方法</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="101"/>
        <source>Gaussian-weighted (recommended)</source>
        <translation>高斯加权（推荐）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="101"/>
        <source>Nearest neighbour</source>
        <translation>最近邻</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="105"/>
        <source>GOCI bands in nm, comma-separated (empty = every L_TOA_* band)</source>
        <translation>GOCI 波段（nm，逗号分隔；留空 = 所有 L_TOA_* 波段）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="119"/>
        <source>Invalid GOCI pixels</source>
        <translation>GOCI 无效像元</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="119"/>
        <source>Skip them (use valid neighbours only)</source>
        <translation>跳过（仅使用有效的邻近像元）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="119"/>
        <source>Propagate them (NaN where one is weighted)</source>
        <translation>传播（若有无效像元参与加权则为 NaN）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="182"/>
        <source>Wavelengths in nm of the GOCI bands to resample, e.g. &lt;code&gt;443,490,555,660,865&lt;/code&gt;. Empty (default) = every L_TOA_&amp;lt;nm&amp;gt; band in the file, in wavelength order. A band that is not in the file is an error that lists the bands present.</source>
        <translation>要重采样的 GOCI 波段的波长（nm），例如 &lt;code&gt;443,490,555,660,865&lt;/code&gt;。留空（默认）= 文件中的所有 L_TOA_&amp;lt;nm&amp;gt; 波段，按波长排序。指定文件中不存在的波段会报错，并列出文件中已有的波段。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="199"/>
        <source>Width of the Gaussian weight in metres (default 320, about 0.4 × RADIUS). Larger is smoother. Gaussian method only.</source>
        <translation>高斯权重的宽度，单位为米（默认 320，约为 0.4 × RADIUS）。值越大结果越平滑。仅用于高斯方法。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="203"/>
        <source>How many nearest GOCI pixels the Gaussian weighs per Landsat pixel (default 16). Gaussian method only.</source>
        <translation>高斯方法对每个 Landsat 像元加权的最近 GOCI 像元个数（默认 16）。仅用于高斯方法。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="266"/>
        <source>{name}: choose a raster file.</source>
        <translation>{name}：请选择一个栅格文件。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="269"/>
        <source>{parameter} layer {name} ({source}) is not a raster file. Choose a GeoTIFF.</source>
        <translation>{parameter} 图层 {name}（{source}）不是栅格文件。请选择 GeoTIFF 文件。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="47"/>
        <source>GOCI subset NetCDF (*_subset*.nc)</source>
        <translation>GOCI 子集 NetCDF（*_subset*.nc）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="47"/>
        <source>NetCDF files (*.nc *.nc4 *.h5);;All files (*.*)</source>
        <translation>NetCDF 文件 (*.nc *.nc4 *.h5);;所有文件 (*.*)</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="55"/>
        <source>Landsat TOA radiance GeoTIFF (target grid)</source>
        <translation>Landsat 大气层顶辐亮度 GeoTIFF（目标网格）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="65"/>
        <source>GOCI on Landsat grid</source>
        <translation>Landsat 网格上的 GOCI</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="79"/>
        <source>Fraction of Landsat grid pixels with a value in every band</source>
        <translation>所有波段均有值的 Landsat 网格像元比例</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="105"/>
        <source>The GOCI subset NetCDF clipped to the Landsat footprint (navigation_data/latitude, longitude; geophysical_data/L_TOA_&amp;lt;nm&amp;gt;; mask/inside_mask or inside_footprint).</source>
        <translation>裁剪到 Landsat 覆盖范围的 GOCI 子集 NetCDF（navigation_data/latitude、longitude；geophysical_data/L_TOA_&amp;lt;nm&amp;gt;；mask/inside_mask 或 inside_footprint）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="110"/>
        <source>The Landsat TOA radiance GeoTIFF of the same scene; its grid is the output grid.</source>
        <translation>同一景的 Landsat 大气层顶辐亮度 GeoTIFF；其网格即为输出网格。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="135"/>
        <source>Fraction (0–1) of the Landsat grid's pixels that received a value in every band.</source>
        <translation>Landsat 网格中所有波段都获得了值的像元所占比例（0–1）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="169"/>
        <source>How many scenes run at once, each in its own process (default 1 = in QGIS&apos;s own process). Each worker needs up to about 1 GB for a full Landsat scene; more workers than CPU cores does not help. Results are identical.</source>
        <translation>同时运行的景数，每景在各自的进程中运行（默认 1 = 在 QGIS 自身的进程中运行）。处理一整景 Landsat 时，每个工作进程最多需要约 1 GB 内存；工作进程数超过 CPU 核数并无益处。结果完全相同。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="86"/>
        <source>Also write the per-pixel quality raster (&lt;output stem&gt;_QA.tif)</source>
        <translation>同时写出逐像元质量栅格（&lt;output stem&gt;_QA.tif）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="98"/>
        <source>dask.distributed scheduler address (run scenes on a cluster)</source>
        <translation>dask.distributed 调度器地址（在集群上运行各景）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="154"/>
        <source> The batch report gets register_east_m, register_north_m, register_confidence and register_residual_m.</source>
        <translation> 批处理报告中会增加 register_east_m、register_north_m、register_confidence 和 register_residual_m 列。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="163"/>
        <source>Also write &amp;lt;output stem&amp;gt;_QA.tif next to each output: per pixel the number of GOCI pixels that entered the first band&apos;s value, the distance to the nearest of them (m) and the sum of their weights (see the one-pair algorithm&apos;s OUTPUT_QA), computed in the same pass.</source>
        <translation>同时在每个输出旁写出 &amp;lt;output stem&amp;gt;_QA.tif：逐像元记录参与计算第一个波段值的 GOCI 像元个数、到其中最近者的距离（m）以及它们的权重之和（参见单对算法的 OUTPUT_QA），在同一遍计算中得出。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="174"/>
        <source>Optional, advanced. The address of a running dask.distributed scheduler (tcp://host:8786): scenes then run as tasks on its workers instead of here (WORKERS is ignored). OUTPUT_ROOT and the input folders must be the same paths on every worker (a shared file system), and the workers&apos; Python must import goci_resample_plugin (install it there, or upload the plugin ZIP with client.upload_file). A lost worker&apos;s scene runs again on another; cancel reaches every worker. Needs python3-distributed (only when used).</source>
        <translation>可选，高级选项。正在运行的 dask.distributed 调度器的地址（tcp://host:8786）：各景将作为任务在该调度器的工作进程上运行，而不在本机运行（此时忽略 WORKERS）。OUTPUT_ROOT 和输入文件夹在每个工作进程上必须是相同的路径（共享文件系统），并且工作进程的 Python 必须能够导入 goci_resample_plugin（在工作进程所在环境中安装，或用 client.upload_file 上传插件 ZIP 包）。某个工作进程丢失时，其上的景会在另一个工作进程上重新运行；取消操作会传达到所有工作进程。需要 python3-distributed（仅在使用此项时）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="240"/>
        <source>Cancelled: {left} scene(s) not run, finished ones kept, nothing partial left. Run again to resume; see {report}.</source>
        <translation>已取消：{left} 景未运行，已完成的结果予以保留，不会留下不完整的文件。再次运行即可从中断处继续；详见 {report}。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/bridge.py" line="53"/>
        <source>{signal} received: stopping after the current block.</source>
        <translation>收到 {signal}：将在当前数据块处理完后停止。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Offset of GOCI east of Landsat (m, true east)</source>
        <translation>GOCI 相对 Landsat 的东向偏移（m，真东）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Offset of GOCI north of Landsat (m, true north)</source>
        <translation>GOCI 相对 Landsat 的北向偏移（m，真北）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Offset of GOCI along the Landsat CRS&apos;s x axis (m)</source>
        <translation>GOCI 沿 Landsat 坐标系 x 轴的偏移（m）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Offset of GOCI along the Landsat CRS&apos;s y axis (m)</source>
        <translation>GOCI 沿 Landsat 坐标系 y 轴的偏移（m）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="145"/>
        <source>GOCI − Landsat {scene}</source>
        <translation>GOCI − Landsat {scene}</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="42"/>
        <source>Overwrite existing outputs (recompute; replace files not ours)</source>
        <translation>覆盖已有输出（重新计算；替换非本插件生成的文件）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="54"/>
        <source>Off (default): an output that is already complete for the same input files, parameters and bands is reused instead of computed again (a batch reports it as &apos;skipped&apos;); an output that is out of date (inputs changed, other parameters, truncated) is redone; and a file at an output name that goci-resample did not write is left untouched and the run stops with a message. On: compute everything again and replace whatever is at the output names. An input file is never replaced.</source>
        <translation>关闭（默认）：对于相同输入文件、参数和波段已完整生成的输出将直接复用，不再重新计算（批处理中报告为“skipped”）；已过期的输出（输入已更改、参数不同、文件被截断）会重新生成；输出文件名处已存在但并非由 goci-resample 写出的文件保持不动，运行停止并给出提示。开启：全部重新计算，并替换输出文件名处的任何文件。输入文件永远不会被替换。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="70"/>
        <source>Correct GOCI&apos;s misregistration against Landsat (register)</source>
        <translation>以 Landsat 为基准校正 GOCI 的配准偏差（配准）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="119"/>
        <source>Valid cover only (skip them, NaN where the nearest GOCI pixel is invalid)</source>
        <translation>仅有效覆盖区（跳过无效像元；最近的 GOCI 像元无效处为 NaN）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="71"/>
        <source>Per-pixel quality (GOCI pixels used, nearest distance, weight sum)</source>
        <translation>逐像元质量（所用 GOCI 像元数、最近距离、权重和）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="85"/>
        <source>east</source>
        <translation>向东</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="85"/>
        <source>north</source>
        <translation>向北</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="86"/>
        <source>GOCI offset corrected by REGISTER, metres {}</source>
        <translation>REGISTER 校正的 GOCI 偏移（m，{}）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="138"/>
        <source>With REGISTER: how many metres east GOCI&apos;s content sat from Landsat&apos;s, the offset corrected (0 when none was applied or REGISTER is off).</source>
        <translation>启用 REGISTER 时：GOCI 影像内容相对 Landsat 向东偏移的米数，即已校正的偏移量（未应用偏移或 REGISTER 关闭时为 0）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="142"/>
        <source>As SHIFT_EAST_M, northwards.</source>
        <translation>同 SHIFT_EAST_M，方向为向北。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="60"/>
        <source>Folder of scenes: resample every GOCI/Landsat pair</source>
        <translation>文件夹（多景）：重采样每一对 GOCI/Landsat</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="50"/>
        <source>Comparison</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="39"/>
        <source>One pair: resample GOCI onto the Landsat grid</source>
        <translation>单景：将 GOCI 重采样到 Landsat 网格</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="63"/>
        <source>goci,landsat,resample,batch,folder,pyresample,gaussian,nearest,bilinear,cubic</source>
        <translation>goci,landsat,重采样,批处理,文件夹,pyresample,高斯,最近邻,双线性,三次</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="139"/>
        <source>Resamples every scene pair under INPUT_ROOT: each sub-folder holding a Landsat *_TOA_RAD_B*.tif and a GOCI *_subset*.nc (a *_subset_footprint.nc wins over other _subset files). Each scene gets OUTPUT_ROOT/&amp;lt;scene&amp;gt;/GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif (or _NEAREST, _BILINEAR, _CUBIC) with its JSON and .qml sidecars, exactly as the one-pair algorithm writes them. OUTPUT_ROOT/batch_report.csv gets one row per scene folder (scene, status ok / skipped / failed / no-pair, message, seconds, output) as each scene finishes. A bad scene never stops the others; outputs appear only when complete, so a run that was cancelled or killed resumes where it stopped when run again.</source>
        <translation>重采样 INPUT_ROOT 下的每一对场景：每个子文件夹包含一个 Landsat *_TOA_RAD_B*.tif 和一个 GOCI *_subset*.nc（*_subset_footprint.nc 优先于其他 _subset 文件）。每个场景得到 OUTPUT_ROOT/&amp;lt;scene&amp;gt;/GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif（或 _NEAREST、_BILINEAR、_CUBIC）及其 JSON 和 .qml 附属文件，与单景算法写出的完全相同。OUTPUT_ROOT/batch_report.csv 在每个场景完成时为每个场景文件夹写一行（场景、状态 ok / skipped / failed / no-pair、信息、秒数、输出）。一个坏场景不会中断其他场景；输出只在完整时才出现，因此被取消或中断的运行再次运行时会从停下的地方继续。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="101"/>
        <source>Bilinear (GOCI index space)</source>
        <translation>双线性（GOCI 像元坐标空间）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="101"/>
        <source>Cubic (Keys, GOCI index space)</source>
        <translation>三次卷积（Keys，GOCI 像元坐标空间）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="113"/>
        <source>Radius of influence (m; Gaussian and Nearest only)</source>
        <translation>影响半径（米；仅用于高斯和最近邻）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="115"/>
        <source>Gaussian sigma (m; Gaussian only)</source>
        <translation>高斯 sigma（米；仅用于高斯）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="117"/>
        <source>Neighbours weighed per pixel (Gaussian only)</source>
        <translation>每个像元加权的邻近像元数（仅用于高斯）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="165"/>
        <source>&lt;b&gt;Gaussian&lt;/b&gt; (default): each Landsat pixel is the mean of the NEIGHBOURS nearest valid GOCI pixels within RADIUS, weighted by exp(-d²/SIGMA²) (d = distance in metres). Smooth and robust; recommended. &lt;b&gt;Nearest neighbour&lt;/b&gt;: the value of the nearest valid GOCI pixel within RADIUS; fastest, keeps original values, shows GOCI's pixels as blocks (250 m for GOCI-II, 500 m for GOCI-I). &lt;b&gt;Bilinear&lt;/b&gt; and &lt;b&gt;Cubic&lt;/b&gt; interpolate in GOCI's own pixel grid, as GDAL's geolocation warper does but with the exact position of each Landsat pixel in that grid: bilinear from the 2 × 2 GOCI pixels around it, cubic (Keys, a = −0.5, GDAL's 'cubic') from the 4 × 4. They keep GOCI's own resolution (Gaussian smooths it to several pixels), give no blocks and no value outside the GOCI grid; RADIUS, SIGMA and NEIGHBOURS play no part in them. Which to choose: Gaussian for a smooth, robust picture and the design note's results; Nearest for GOCI's original values; bilinear for a sharp, smooth upsampling (the usual '上采样'); cubic for the sharpest one and super-resolution training inputs (the bicubic convention).</source>
        <translation>&lt;b&gt;高斯&lt;/b&gt;（默认）：每个 Landsat 像元取 RADIUS 内最近的 NEIGHBOURS 个有效 GOCI 像元的加权平均，权重为 exp(-d²/SIGMA²)（d 为以米计的距离）。平滑且稳健；推荐。&lt;b&gt;最近邻&lt;/b&gt;：RADIUS 内最近的有效 GOCI 像元的值；最快，保留原始值，GOCI 像元显示为方块（GOCI-II 为 250 米，GOCI-I 为 500 米）。&lt;b&gt;双线性&lt;/b&gt;和&lt;b&gt;三次卷积&lt;/b&gt;在 GOCI 自身的像元网格中插值，与 GDAL 的地理定位重投影相同，但每个 Landsat 像元在该网格中的位置是精确求得的：双线性使用其周围 2 × 2 个 GOCI 像元，三次卷积（Keys，a = −0.5，即 GDAL 的 'cubic'）使用 4 × 4 个。它们保持 GOCI 自身的分辨率（高斯会平滑到数个像元），没有方块，在 GOCI 网格之外不给值；RADIUS、SIGMA 和 NEIGHBOURS 对它们不起作用。如何选择：要平滑稳健的图像和设计说明中的结果用高斯；要 GOCI 原始值用最近邻；要清晰平滑的上采样用双线性；要最清晰的结果和超分辨率训练输入（双三次惯例）用三次卷积。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="188"/>
        <source>Radius of influence in metres (default 800). Only GOCI pixels closer than this to a Landsat pixel centre count; pixels with none get no data (NaN). Gaussian and Nearest only (bilinear and cubic do not use it). GOCI-I (500 m pixels): 800 m is robust (about 8 pixels within reach). GOCI-II (250 m): about 32 pixels lie within 800 m and NEIGHBOURS 16 keeps the nearest, so the weights reach about 560 m (the log says so); keep 800 m with SIGMA 320 m (the defaults: smooth, an effective resolution of several GOCI-II pixels), or RADIUS 500–600 m / SIGMA 200 m for sharper results. Too small leaves holes (the log warns), too large over-smooths.</source>
        <translation>影响半径，单位米（默认 800）。只有与 Landsat 像元中心距离小于该值的 GOCI 像元才参与；没有这样的像元时为无数据（NaN）。仅用于高斯和最近邻（双线性和三次卷积不使用）。GOCI-I（500 米像元）：800 米很稳健（约 8 个像元在范围内）。GOCI-II（250 米）：800 米内约有 32 个像元，NEIGHBOURS 16 只保留最近的，因此权重实际约达 560 米（日志会说明）；可保持 800 米与 SIGMA 320 米（默认值：平滑，有效分辨率为数个 GOCI-II 像元），或用 RADIUS 500–600 米 / SIGMA 200 米得到更清晰的结果。太小会留下空洞（日志会警告），太大则过度平滑。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="207"/>
        <source>GOCI pixels that are fill (_FillValue, missing_value), outside valid_min/valid_max, NaN or outside the footprint mask are invalid. &lt;b&gt;Skip&lt;/b&gt; (default): they take no part; the nearest valid pixels are used, so values reach up to RADIUS past every masked edge (footprint, land mask, clouds). &lt;b&gt;Propagate&lt;/b&gt;: a Landsat pixel whose weighted neighbours include an invalid GOCI pixel gets no data (pyresample's masked-array behaviour): a gap of about RADIUS around every single fill pixel. &lt;b&gt;Valid cover only&lt;/b&gt;: as skip, but no data where the GOCI pixel nearest to the Landsat pixel is invalid, so the result stops where GOCI's valid data stops (no ocean radiance painted over a masked coast). Recommended for land- or cloud-masked inputs and for training data. Bilinear and cubic: &lt;b&gt;skip&lt;/b&gt; = the bilinear weights of the valid pixels among the 2 × 2, renormalised (cubic where its whole 4 × 4 support is valid, bilinear elsewhere); &lt;b&gt;propagate&lt;/b&gt; = no data where a pixel of the support is invalid; &lt;b&gt;valid cover only&lt;/b&gt; = no data where the GOCI pixel nearest to the Landsat pixel is invalid, else as skip.</source>
        <translation>填充值（_FillValue、missing_value）、超出 valid_min/valid_max、NaN 或位于足迹掩膜之外的 GOCI 像元为无效像元。&lt;b&gt;跳过&lt;/b&gt;（默认）：它们不参与；使用最近的有效像元，因此数值会越过每个掩膜边缘（足迹、陆地掩膜、云）延伸至 RADIUS。&lt;b&gt;传播&lt;/b&gt;：若某 Landsat 像元的加权邻近像元中有无效 GOCI 像元，则该像元为无数据（pyresample 掩膜数组的行为）：每个填充像元周围会留下约 RADIUS 的空缺。&lt;b&gt;仅有效覆盖&lt;/b&gt;：同跳过，但当离 Landsat 像元最近的 GOCI 像元无效时为无数据，因此结果在 GOCI 有效数据结束处停止（不会把海洋辐亮度涂到被掩膜的海岸上）。推荐用于经陆地或云掩膜的输入以及训练数据。双线性和三次卷积：&lt;b&gt;跳过&lt;/b&gt; = 对 2 × 2 中有效像元的双线性权重重新归一化（4 × 4 支撑全部有效时用三次卷积，否则用双线性）；&lt;b&gt;传播&lt;/b&gt; = 支撑中有无效像元时为无数据；&lt;b&gt;仅有效覆盖&lt;/b&gt; = 离 Landsat 像元最近的 GOCI 像元无效时为无数据，否则同跳过。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="42"/>
        <source>goci,landsat,resample,pyresample,gaussian,nearest,bilinear,cubic,netcdf,ocean colour</source>
        <translation>goci,landsat,重采样,pyresample,高斯,最近邻,双线性,三次,netcdf,水色</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="92"/>
        <source>Resamples every L_TOA_&amp;lt;nm&amp;gt; band of a GOCI subset NetCDF (curvilinear latitude/longitude, 250 m GOCI-II or 500 m GOCI) onto the exact grid of a Landsat GeoTIFF (size, transform, CRS), with pyresample&apos;s Gaussian or nearest-neighbour semantics, or bilinear/cubic interpolation in GOCI&apos;s own pixel grid. The result is a float32 GeoTIFF, one band per GOCI band in wavelength order, nodata NaN, plus a JSON sidecar (parameters, per-band statistics, timings) and a QGIS style (.qml). On the map it shows as a true-colour composite (660/555/490 nm, the wavelengths of Landsat B4/B3/B2) for an overlap check against the Landsat layer. Memory stays bounded whatever the scene size.</source>
        <translation>将 GOCI 子集 NetCDF（曲线经纬度，250 米 GOCI-II 或 500 米 GOCI）的每个 L_TOA_&amp;lt;nm&amp;gt; 波段重采样到 Landsat GeoTIFF 的精确网格（尺寸、变换、坐标系），采用 pyresample 的高斯或最近邻语义，或在 GOCI 自身像元网格中进行双线性/三次卷积插值。结果为 float32 GeoTIFF，每个 GOCI 波段按波长顺序一个波段，无数据为 NaN，并附 JSON 附属文件（参数、逐波段统计、耗时）和 QGIS 样式（.qml）。在地图上显示为真彩色合成（660/555/490 nm，即 Landsat B4/B3/B2 的波长），便于与 Landsat 图层进行叠加检查。无论场景多大，内存占用都有上限。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="116"/>
        <source>The GeoTIFF to write. A batch run names it GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif (or _NEAREST, _BILINEAR, _CUBIC).</source>
        <translation>要写出的 GeoTIFF。批处理将其命名为 GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif（或 _NEAREST、_BILINEAR、_CUBIC）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="120"/>
        <source>Optional. A float32 GeoTIFF on the same grid, computed in the same pass: band 1 GOCI_PIXELS = how many GOCI pixels entered the first band's value (at most NEIGHBOURS; 1 for Nearest), band 2 NEAREST_DISTANCE_M = distance to the nearest of them in metres, band 3 WEIGHT_SUM = the sum of their Gaussian weights exp(-d²/σ²); 0, no data, 0 where there is no value. To pick training patches, keep pixels with enough GOCI support, e.g. GOCI_PIXELS = NEIGHBOURS and NEAREST_DISTANCE_M below half a GOCI pixel diagonal (~180 m at 250 m); pixels near masked edges or the footprint have fewer and farther GOCI pixels. Bilinear and cubic: band 1 = how many pixels of the 2 × 2 (bilinear) or 4 × 4 (cubic) support entered the value (fewer near masked pixels, where the bilinear rule of the valid ones is used), band 2 = the distance to the nearest of them, band 3 = the sum of their interpolation weights (1 where the whole support is valid, less where invalid pixels were left out).</source>
        <translation>可选。同一网格上的 float32 GeoTIFF，在同一遍计算中得到：波段 1 GOCI_PIXELS = 参与第一个波段取值的 GOCI 像元数（最多 NEIGHBOURS；最近邻为 1），波段 2 NEAREST_DISTANCE_M = 到其中最近者的距离（米），波段 3 WEIGHT_SUM = 它们的高斯权重 exp(-d²/σ²) 之和；没有值的地方为 0、无数据、0。挑选训练图块时，保留 GOCI 支撑足够的像元，例如 GOCI_PIXELS = NEIGHBOURS 且 NEAREST_DISTANCE_M 小于半个 GOCI 像元对角线（250 米时约 180 米）；掩膜边缘或足迹附近的像元 GOCI 像元更少、更远。双线性和三次卷积：波段 1 = 进入取值的 2 × 2（双线性）或 4 × 4（三次卷积）支撑像元数（掩膜像元附近更少，此时使用有效像元的双线性规则），波段 2 = 到其中最近者的距离，波段 3 = 它们的插值权重之和（支撑全部有效时为 1，剔除了无效像元时更小）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="107"/>
        <source>Match-ups at GOCI scale for each scene (cross-calibration)</source>
        <translation>为每个场景生成 GOCI 尺度的匹配点（交叉定标）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="191"/>
        <source>Off (default). On: each scene also gets its match-ups at GOCI scale as the Match-ups algorithm makes them (Landsat_on_GOCI_&amp;lt;goci stem&amp;gt;.nc, .gpkg, _stats.csv, .html next to its result; REGISTER applies to them too), and OUTPUT_ROOT gets matchups_all.csv (every passing match-up of every scene, with the scene and its date) and matchups_fit.csv (bias, RMSE, R², gain and offset per band pair over all scenes, scene = all, and per scene), written again as each scene finishes.</source>
        <translation>关闭（默认）。开启：每个场景还按匹配点算法生成 GOCI 尺度的匹配点（在其结果旁写出 Landsat_on_GOCI_&amp;lt;goci stem&amp;gt;.nc、.gpkg、_stats.csv、.html；REGISTER 同样适用），并在 OUTPUT_ROOT 写出 matchups_all.csv（每个场景所有通过筛选的匹配点，附场景名及日期）和 matchups_fit.csv（每个波段对在全部场景上（scene = all）及逐场景的偏差、RMSE、R²、增益和偏移），每个场景完成时重新写出。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="56"/>
        <source>Match-ups at GOCI scale: Landsat aggregated onto GOCI pixels</source>
        <translation>GOCI 尺度匹配点：将 Landsat 聚合到 GOCI 像元</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="59"/>
        <source>goci,landsat,matchups,cross-calibration,aggregate,homogeneity,gain</source>
        <translation>goci,landsat,匹配点,交叉定标,聚合,均匀性,增益</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="68"/>
        <source>Landsat TOA radiance GeoTIFF</source>
        <translation>Landsat 大气顶辐亮度 GeoTIFF</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="72"/>
        <source>Screening box (GOCI pixels, odd)</source>
        <translation>筛选窗口（GOCI 像元数，奇数）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="75"/>
        <source>Largest coefficient of variation in the box</source>
        <translation>窗口内允许的最大变异系数</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="78"/>
        <source>Smallest Landsat coverage of a GOCI pixel</source>
        <translation>GOCI 像元的最小 Landsat 覆盖率</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="83"/>
        <source>Landsat on the GOCI grid (NetCDF)</source>
        <translation>GOCI 网格上的 Landsat（NetCDF）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="83"/>
        <source>NetCDF files (*.nc)</source>
        <translation>NetCDF 文件 (*.nc)</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="86"/>
        <source>Match-up points (GeoPackage)</source>
        <translation>匹配点（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="92"/>
        <source>Match-ups that pass (band pair nearest 660 nm)</source>
        <translation>通过筛选的匹配点数（最接近 660 nm 的波段对）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="97"/>
        <source>Cross-calibration at GOCI's own scale: every Landsat pixel is assigned to the GOCI pixel whose footprint (in GOCI's index space) holds its centre, and per GOCI pixel and Landsat band the count, mean, std and coverage are written as a NetCDF on the GOCI grid. A match-up (GOCI pixel, band pair) passes when every pixel of the BOX × BOX box around it has Landsat coverage ≥ MIN_COVERAGE and a valid GOCI value and the coefficients of variation of the box's Landsat means and of its GOCI values are ≤ MAX_CV (the ocean-colour validation protocols' homogeneity test). The statistics over the passing match-ups (bias, RMSE, R², orthogonal gain and offset) compare the sensors without interpolating GOCI at all: use them rather than the 30 m comparison for calibration. The points (one per GOCI pixel with Landsat data) load on the map coloured by the GOCI/Landsat ratio of the red band, passing ones large.</source>
        <translation>在 GOCI 自身尺度上的交叉定标：每个 Landsat 像元归属于其中心所在的 GOCI 像元足迹（在 GOCI 像元坐标空间中），按 GOCI 像元和 Landsat 波段统计数量、均值、标准差和覆盖率，写成 GOCI 网格上的 NetCDF。当匹配点（GOCI 像元、波段对）周围 BOX × BOX 窗口内每个像元的 Landsat 覆盖率 ≥ MIN_COVERAGE 且 GOCI 值有效，并且窗口内 Landsat 均值和 GOCI 值的变异系数都 ≤ MAX_CV（水色验证规范中的均匀性检验）时，该匹配点通过。对通过的匹配点计算的统计量（偏差、RMSE、R²、正交回归的增益和偏移）完全不对 GOCI 插值即可比较两个传感器：定标时请用它们而不是 30 米比较。点图层（每个有 Landsat 数据的 GOCI 像元一个点）在地图上按红波段 GOCI/Landsat 比值着色，通过的点显示得更大。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="112"/>
        <source>The GOCI subset NetCDF of the scene.</source>
        <translation>该场景的 GOCI 子集 NetCDF。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="113"/>
        <source>The Landsat TOA radiance GeoTIFF of the same scene; its nodata marks pixels outside the scene.</source>
        <translation>同一场景的 Landsat 大气顶辐亮度 GeoTIFF；其无数据值标记场景外的像元。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="117"/>
        <source>e.g. &lt;code&gt;443:1,490:2,555:3,660:4,865:5&lt;/code&gt;. Empty: each GOCI band is paired with the Landsat band nearest in wavelength, within 40 nm.</source>
        <translation>例如 &lt;code&gt;443:1,490:2,555:3,660:4,865:5&lt;/code&gt;。留空：每个 GOCI 波段与波长最接近（40 nm 以内）的 Landsat 波段配对。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="121"/>
        <source>Box of GOCI pixels screened around each match-up: 3 (default) or 5; odd, at most 15.</source>
        <translation>每个匹配点周围参与筛选的 GOCI 像元窗口：3（默认）或 5；须为奇数，最大 15。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="122"/>
        <source>Largest coefficient of variation (std / mean) of the box&apos;s Landsat means and of its GOCI values (default 0.15).</source>
        <translation>窗口内 Landsat 均值及 GOCI 值允许的最大变异系数（标准差 / 均值，默认 0.15）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="126"/>
        <source>Smallest fraction of a GOCI pixel&apos;s footprint with valid Landsat data, for every pixel of the box (default 0.9).</source>
        <translation>窗口内每个 GOCI 像元足迹中有效 Landsat 数据所占的最小比例（默认 0.9）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="132"/>
        <source>NetCDF on the GOCI subset&apos;s grid: navigation_data/latitude, longitude; landsat_data/L_TOA_B&amp;lt;k&amp;gt; (mean), _std, count_B&amp;lt;k&amp;gt;, pixels; matchups/passes_&amp;lt;nm&amp;gt;. Opens in QGIS (GDAL), xarray and SNAP.</source>
        <translation>GOCI 子集网格上的 NetCDF：navigation_data/latitude、longitude；landsat_data/L_TOA_B&amp;lt;k&amp;gt;（均值）、_std、count_B&amp;lt;k&amp;gt;、pixels；matchups/passes_&amp;lt;nm&amp;gt;。可在 QGIS（GDAL）、xarray 和 SNAP 中打开。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="137"/>
        <source>GeoPackage: one point per GOCI pixel with Landsat data, with the GOCI values, Landsat mean/std/count, both CVs, the ratio and passes per band pair.</source>
        <translation>GeoPackage：每个有 Landsat 数据的 GOCI 像元一个点，包含每个波段对的 GOCI 值、Landsat 均值/标准差/数量、两个变异系数、比值和是否通过。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="142"/>
        <source>CSV: the statistics per band pair and the counts screened out.</source>
        <translation>CSV：每个波段对的统计量及被筛除的数量。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="143"/>
        <source>Self-contained HTML: table and a density plot per band pair.</source>
        <translation>独立的 HTML：表格及每个波段对的密度图。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="152"/>
        <source>{name} must be a GeoPackage (.gpkg), not {path}.</source>
        <translation>{name} 必须是 GeoPackage（.gpkg），而不是 {path}。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="171"/>
        <source>Match-ups {scene}</source>
        <translation>匹配点 {scene}</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/matchups.py" line="179"/>
        <source>Off (default). On: measure GOCI&apos;s offset against Landsat first (as the resampling algorithms&apos; REGISTER does) and move the GOCI geolocation back by it before the Landsat pixels are assigned to GOCI pixels; an unreliable or implausible offset is not applied and the log says why.</source>
        <translation>关闭（默认）。开启：先测量 GOCI 相对 Landsat 的偏移（与重采样算法的 REGISTER 相同），在将 Landsat 像元分配到 GOCI 像元之前把 GOCI 地理定位按该偏移移回；不可靠或不合理的偏移不会被应用，日志会说明原因。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="183"/>
        <source>Off (default). On: each result is also compared with its Landsat file as the Compare algorithm does (&amp;lt;output stem&amp;gt;_comparison.csv and .html next to it), and batch_report.csv gets the offset (shift_east_m, shift_north_m, shift_confidence, and its 95 % half-widths shift_east_uncertainty_m and shift_north_uncertainty_m in the last columns; empty when not measurable) and the block-scale R² and bias per GOCI band.</source>
        <translation>关闭（默认）。开启：每个结果还会像比较算法那样与其 Landsat 文件比较（在其旁边写出 &amp;lt;output stem&amp;gt;_comparison.csv 和 .html），batch_report.csv 中会写入偏移量（shift_east_m、shift_north_m、shift_confidence，以及位于最后几列的 95 % 置信区间半宽 shift_east_uncertainty_m 和 shift_north_uncertainty_m；无法测量时为空）以及每个 GOCI 波段在块尺度上的 R² 和偏差。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Uncertainty of the offset east, ± m at 95 %</source>
        <translation>向东偏移量的不确定度（95 %，± 米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="77"/>
        <source>Uncertainty of the offset north, ± m at 95 %</source>
        <translation>向北偏移量的不确定度（95 %，± 米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="90"/>
        <source>Compares a GOCI-on-Landsat raster with the Landsat raster it was resampled onto, pixel for pixel: per band pair the number of pixels valid in both, both means, the bias (GOCI − Landsat), RMSE, R² and an orthogonal (total least squares) fit, at 30 m and after averaging both over BLOCK × BLOCK blocks (only blocks fully valid in both; 16 × 30 m ≈ one GOCI pixel). It also measures the offset between the two images on the red band's block means, so a misregistration is a number, not a guess: SHIFT_EAST_M and SHIFT_NORTH_M in metres towards true east and north (as REGISTER reports them), SHIFT_X_M and SHIFT_Y_M along the Landsat CRS's axes (grid north is about 1° off true north in UTM; kept for saved models), with SHIFT_EAST_UNCERTAINTY_M and SHIFT_NORTH_UNCERTAINTY_M, the half-widths of its 95 % intervals (the blocks' spatially correlated misfit counted). When the offset cannot be known it is not measurable: the offsets and their uncertainties are NaN, the confidence 0, and the log and the report say why: the image varies in one direction only (a straight coast, a front, stripes: an offset along them changes nothing), the overlap is too small, or the 95 % uncertainty exceeds 100 m (typical below about 25 × 25 km of overlap).</source>
        <translation>将 Landsat 网格上的 GOCI 栅格与其重采样所依据的 Landsat 栅格逐像元比较：对每个波段对，统计二者均有效的像元数、二者的均值、偏差（GOCI − Landsat）、RMSE、R² 以及正交（总体最小二乘）拟合，分别在 30 米尺度和二者按 BLOCK × BLOCK 块平均之后（仅用二者都完全有效的块；16 × 30 米 ≈ 一个 GOCI 像元）计算。它还在红波段的块均值上测量两幅影像之间的偏移，使配准偏差成为一个数字而不是猜测：SHIFT_EAST_M 和 SHIFT_NORTH_M 为朝真东和真北方向的米数（与 REGISTER 的报告一致），SHIFT_X_M 和 SHIFT_Y_M 沿 Landsat 坐标系的坐标轴（UTM 中网格北与真北约差 1°；为兼容已保存的模型而保留），并给出 SHIFT_EAST_UNCERTAINTY_M 和 SHIFT_NORTH_UNCERTAINTY_M，即其 95 % 置信区间的半宽（已计入各块之间空间相关的拟合残差）。当偏移无法确定时，它被判为无法测量：各偏移量及其不确定度为 NaN，置信度为 0，日志和报告会说明原因：影像只在一个方向上变化（笔直的海岸线、锋面、条纹：沿它们的偏移不改变影像），重叠区域太小，或 95 % 不确定度超过 100 米（重叠小于约 25 × 25 千米时较常见）。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="80"/>
        <source>Off (default). On: first resample the GOCI band nearest 660 nm and measure how far GOCI's content sits from the Landsat band, with its uncertainty (the offset of Compare with Landsat), then resample every band with the GOCI geolocation moved back by that offset, and measure what is left. The offset is not applied (the output is then written without a shift, and the log says why) when it is not measurable (the image varies in one direction only, or its 95 % uncertainty exceeds 100 m: usually scenes smaller than about 25 × 25 km), when zero lies within its 95 % uncertainty (already aligned), when its confidence is below 0.9, or when it exceeds 3 GOCI pixels (the files more likely do not belong together). Takes one extra single-band run and two comparisons. The applied offset is in the log, the sidecar (parameters shift_east_m/shift_north_m, the correction) and the GeoTIFF metadata.</source>
        <translation>关闭（默认）。开启：先重采样最接近 660 nm 的 GOCI 波段，测量 GOCI 内容相对 Landsat 波段的偏移及其不确定度（与“与 Landsat 比较”算法的偏移相同），然后将 GOCI 地理定位按该偏移移回后重采样所有波段，并测量剩余的偏移。以下情况不应用该偏移（输出不做平移，日志会说明原因）：偏移无法测量（影像只在一个方向上变化，或其 95 % 不确定度超过 100 米：通常是小于约 25 × 25 千米的场景）；零位于其 95 % 不确定范围之内（已经对齐）；置信度低于 0.9；或偏移超过 3 个 GOCI 像元（两个文件更可能不属于同一场景）。需要额外进行一次单波段重采样和两次比较。所应用的偏移记录在日志、附属文件（参数 shift_east_m/shift_north_m，即改正量）和 GeoTIFF 元数据中。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="123"/>
        <source>GeoTIFF compression</source>
        <translation>GeoTIFF 压缩方式</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="123"/>
        <source>DEFLATE (every TIFF reader)</source>
        <translation>DEFLATE（所有 TIFF 读取程序都能打开）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="219"/>
        <source>OUTPUT_ROOT: choose the folder for the outputs.</source>
        <translation>OUTPUT_ROOT：请选择输出文件夹。</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="123"/>
        <source>ZSTD (GDAL-based readers only)</source>
        <translation>ZSTD（仅限基于 GDAL 的软件读取）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="223"/>
        <source>How the output GeoTIFF is compressed; both are lossless with the floating-point predictor and hold the same numbers. &lt;b&gt;DEFLATE&lt;/b&gt; (default): read by every TIFF reader; choose it for files you share. DEFLATE is written fastest where Intel&apos;s ISA-L is installed (Debian/Ubuntu package libisal2), in files larger than GDAL&apos;s own DEFLATE (interpolated output about 4 %, Nearest&apos;s small blocky files about 20 %). &lt;b&gt;ZSTD&lt;/b&gt;: files of about the same size; writing takes about a third less time than DEFLATE where ISA-L is missing (where it is installed, DEFLATE is as fast or faster); read by GDAL-based software built with ZSTD (QGIS, GDAL, rasterio, rioxarray, SNAP&apos;s GDAL reader) but not by programs with their own TIFF reader (e.g. MATLAB&apos;s imread and Tiff, ImageJ, Pillow, tifffile without imagecodecs). An output written with the other codec is redone.</source>
        <translation>输出 GeoTIFF 的压缩方式；两者都是无损压缩（浮点预测器），像元数值完全相同。&lt;b&gt;DEFLATE&lt;/b&gt;（默认）：所有 TIFF 读取程序都能打开；需要分享给他人的文件请选它。安装了 Intel ISA-L（Debian/Ubuntu 软件包 libisal2）时 DEFLATE 写入最快，但文件比 GDAL 自身写出的 DEFLATE 大（插值结果约大 4 %，最近邻的小块状文件约大 20 %）。&lt;b&gt;ZSTD&lt;/b&gt;：文件大小大致相同；未安装 ISA-L 时写入耗时比 DEFLATE 约少三分之一（安装了 ISA-L 时 DEFLATE 一样快或更快）；可由带 ZSTD 支持的基于 GDAL 的软件读取（QGIS、GDAL、rasterio、rioxarray、SNAP 的 GDAL 读取器），但自带 TIFF 读取器的程序（如 MATLAB 的 imread 与 Tiff、ImageJ、Pillow、未装 imagecodecs 的 tifffile）可能无法打开。已用另一种压缩方式写出的输出会重新计算。</translation>
    </message>
</context>
</TS>
