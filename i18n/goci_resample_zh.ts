<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../goci_resample_plugin/processing/algorithm.py" line="16"/>
        <source>Resampling</source>
        <translation>重采样</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="51"/>
        <source>Resample GOCI onto Landsat grid (folder of scenes)</source>
        <translation>将 GOCI 重采样到 Landsat 网格（整个场景文件夹）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="54"/>
        <source>goci,landsat,resample,batch,folder,pyresample,gaussian,nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="57"/>
        <source>Input root (one sub-folder per scene)</source>
        <translation>输入根目录（每个场景一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="66"/>
        <source>Redo scenes whose output already exists</source>
        <translation>重新处理已有输出的场景</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="73"/>
        <source>Also write one .npy file per band</source>
        <translation>同时为每个波段写出 .npy 文件</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="80"/>
        <source>Scenes processed at once (worker processes)</source>
        <translation>同时处理的场景数（工作进程）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="90"/>
        <source>Compare each result with its Landsat scene</source>
        <translation>将每个结果与其 Landsat 场景比较</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="95"/>
        <source>Load each result with its Landsat layer (one group per scene)</source>
        <translation>加载每个结果及其 Landsat 图层（每个场景一个图层组）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="102"/>
        <source>Output root</source>
        <translation>输出根目录</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="108"/>
        <source>Batch report (CSV)</source>
        <translation>批处理报告（CSV）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="109"/>
        <source>Scenes resampled</source>
        <translation>已重采样的场景</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="109"/>
        <source>Scenes skipped (output already complete)</source>
        <translation>跳过的场景（输出已完整）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="109"/>
        <source>Scenes failed</source>
        <translation>失败的场景</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="109"/>
        <source>Folders without a GOCI/Landsat pair</source>
        <translation>没有 GOCI/Landsat 影像对的文件夹</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="119"/>
        <source>Resamples every scene pair under INPUT_ROOT: each sub-folder holding a Landsat *_TOA_RAD_B*.tif and a GOCI *_subset*.nc (a *_subset_footprint.nc wins over other _subset files). Each scene gets OUTPUT_ROOT/&amp;lt;scene&amp;gt;/GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif (or _NEAREST) with its JSON and .qml sidecars, exactly as the one-pair algorithm writes them. OUTPUT_ROOT/batch_report.csv gets one row per scene folder (scene, status ok / skipped / failed / no-pair, message, seconds, output) as each scene finishes. A bad scene never stops the others; outputs appear only when complete, so a run that was cancelled or killed resumes where it stopped when run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="131"/>
        <source>The folder with one sub-folder per Landsat scene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="133"/>
        <source>Off (default): a scene whose output is already complete is skipped (status &apos;skipped&apos;; the message says if it was made with other parameters). On: redo it; the old output is replaced only when the new one is complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="138"/>
        <source>Also write each band as &amp;lt;output stem&amp;gt;_L_TOA_&amp;lt;nm&amp;gt;.npy (float32, NaN = no data) for numpy users.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="147"/>
        <source>Off (default). On: each result is also compared with its Landsat file as the Compare algorithm does (&amp;lt;output stem&amp;gt;_comparison.csv and .html next to it), and batch_report.csv gets the offset (shift_east_m, shift_north_m, shift_confidence) and the block-scale R² and bias per GOCI band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="153"/>
        <source>Off (default). On: when the run ends, each result and its Landsat layer load into a layer group named after the scene, the result styled as a true-colour composite, for an overlap check. Ignored where there is no project (qgis_process).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="159"/>
        <source>Where the outputs and batch_report.csv go (created if needed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="160"/>
        <source>The path of batch_report.csv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="168"/>
        <source>INPUT_ROOT: choose the folder of scene folders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="186"/>
        <source>{count} scene(s) failed; see {report}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="205"/>
        <source>LOAD_OUTPUTS ignored: there is no project to load into.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="35"/>
        <source>Compare GOCI on Landsat with Landsat</source>
        <translation>比较重采样后的 GOCI 与 Landsat</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="38"/>
        <source>goci,landsat,compare,bias,rmse,regression,shift,misregistration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="41"/>
        <source>GOCI on Landsat grid (a resample output)</source>
        <translation>Landsat 网格上的 GOCI（重采样输出）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="43"/>
        <source>Landsat raster</source>
        <translation>Landsat 栅格</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="44"/>
        <source>Band pairs GOCI nm:Landsat band (empty = by wavelength)</source>
        <translation>波段配对 GOCI 波长(nm):Landsat 波段（留空 = 按波长）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="47"/>
        <source>Block size for block statistics (target pixels)</source>
        <translation>块统计的块大小（目标像元）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="50"/>
        <source>Statistics table</source>
        <translation>统计表</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="50"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="52"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="52"/>
        <source>HTML files (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="54"/>
        <source>Relative difference (GOCI − Landsat) / Landsat</source>
        <translation>相对差异 (GOCI − Landsat) / Landsat</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="62"/>
        <source>Offset of GOCI east of Landsat (m)</source>
        <translation>GOCI 相对 Landsat 向东偏移（米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="62"/>
        <source>Offset of GOCI north of Landsat (m)</source>
        <translation>GOCI 相对 Landsat 向北偏移（米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="62"/>
        <source>Confidence of the offset (0–1)</source>
        <translation>偏移估计的置信度（0–1）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="71"/>
        <source>Compares a GOCI-on-Landsat raster with the Landsat raster it was resampled onto, pixel for pixel: per band pair the number of pixels valid in both, both means, the bias (GOCI − Landsat), RMSE, R² and an orthogonal (total least squares) fit, at 30 m and after averaging both over BLOCK × BLOCK blocks (only blocks fully valid in both; 16 × 30 m ≈ one GOCI pixel). It also measures the offset between the two images (SHIFT_X_M east, SHIFT_Y_M north, in metres) on the red band's block means, so a misregistration is a number, not a guess.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="81"/>
        <source>A raster written by the resample algorithms (bands L_TOA_&amp;lt;nm&amp;gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="82"/>
        <source>The Landsat raster on the same grid; its nodata marks pixels outside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="83"/>
        <source>e.g. &lt;code&gt;443:1,490:2,555:3,660:4,865:5&lt;/code&gt;. Empty: each GOCI band is paired with the Landsat band nearest in wavelength (from WAVELENGTH_NM band metadata, else the Landsat 8/9 OLI band order), within 40 nm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="88"/>
        <source>Block size in target pixels for the block statistics and the offset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="89"/>
        <source>CSV: one row per band pair and scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="90"/>
        <source>Self-contained HTML: offset, table and density plots.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/compare_landsat.py" line="91"/>
        <source>Optional GeoTIFF: (GOCI − Landsat) / Landsat per band pair, NaN where either has no data. Skipped when left empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="41"/>
        <source>Resampling method</source>
        <translation>重采样方法</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="41"/>
        <source>Gaussian-weighted (recommended)</source>
        <translation>高斯加权（推荐）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="41"/>
        <source>Nearest neighbour</source>
        <translation>最近邻</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="47"/>
        <source>GOCI bands in nm, comma-separated (empty = every L_TOA_* band)</source>
        <translation>GOCI 波段（nm，逗号分隔；留空 = 所有 L_TOA_* 波段）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="53"/>
        <source>Radius of influence (m)</source>
        <translation>影响半径（米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="60"/>
        <source>Gaussian sigma (m)</source>
        <translation>高斯 sigma（米）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="67"/>
        <source>Neighbours weighed per pixel (Gaussian)</source>
        <translation>每个像元加权的邻居数（高斯）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="74"/>
        <source>Invalid GOCI pixels</source>
        <translation>无效的 GOCI 像元</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="74"/>
        <source>Skip them (use valid neighbours only)</source>
        <translation>跳过（只使用有效邻居）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="74"/>
        <source>Propagate them (NaN where one is weighted)</source>
        <translation>传播（有无效像元参与加权时为 NaN）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="113"/>
        <source>&lt;b&gt;Gaussian&lt;/b&gt; (default): each Landsat pixel is the mean of the NEIGHBOURS nearest valid GOCI pixels within RADIUS, weighted by exp(-d²/SIGMA²) (d = distance in metres). Smooth and robust; recommended. &lt;b&gt;Nearest neighbour&lt;/b&gt;: the value of the nearest valid GOCI pixel within RADIUS; fastest, keeps original values, shows GOCI's ~500 m blocks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="121"/>
        <source>Wavelengths in nm of the GOCI bands to resample, e.g. &lt;code&gt;443,490,555,660,865&lt;/code&gt;. Empty (default) = every L_TOA_&amp;lt;nm&amp;gt; band in the file, in wavelength order. A band that is not in the file is an error that lists the bands present.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="127"/>
        <source>Radius of influence in metres (default 800). Only GOCI pixels closer than this to a Landsat pixel centre count; pixels with none get no data (NaN). For GOCI&apos;s ~500 m pixels, 800 m is robust; too small leaves holes, too large over-smooths. Coastal scenes may need a little more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="133"/>
        <source>Width of the Gaussian weight in metres (default 320, about 0.4 × RADIUS). Larger is smoother. Gaussian method only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="137"/>
        <source>How many nearest GOCI pixels the Gaussian weighs per Landsat pixel (default 16). Gaussian method only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="141"/>
        <source>GOCI pixels that are fill (_FillValue, missing_value), outside valid_min/valid_max, NaN or outside the footprint mask are invalid. &lt;b&gt;Skip&lt;/b&gt; (default): they take no part; the nearest valid pixels are used. &lt;b&gt;Propagate&lt;/b&gt;: a Landsat pixel whose weighted neighbours include an invalid GOCI pixel gets no data (pyresample&apos;s masked-array behaviour); use it to keep fill gaps visible.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="171"/>
        <source>{name}: choose a raster file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/parameters.py" line="174"/>
        <source>{parameter} layer {name} ({source}) is not a raster file. Choose a GeoTIFF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="41"/>
        <source>Resample GOCI onto Landsat grid (one pair)</source>
        <translation>将 GOCI 重采样到 Landsat 网格（单对影像）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="44"/>
        <source>goci,landsat,resample,pyresample,gaussian,nearest,netcdf,ocean colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="49"/>
        <source>GOCI subset NetCDF (*_subset*.nc)</source>
        <translation>GOCI 子集 NetCDF（*_subset*.nc）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="49"/>
        <source>NetCDF files (*.nc *.nc4 *.h5);;All files (*.*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="57"/>
        <source>Landsat TOA radiance GeoTIFF (target grid)</source>
        <translation>Landsat TOA 辐亮度 GeoTIFF（目标网格）</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="65"/>
        <source>Replace an existing OUTPUT not written by goci-resample</source>
        <translation>覆盖并非由 goci-resample 写出的已有输出</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="72"/>
        <source>GOCI on Landsat grid</source>
        <translation>Landsat 网格上的 GOCI</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="78"/>
        <source>Fraction of Landsat grid pixels with a value in every band</source>
        <translation>所有波段都有值的 Landsat 网格像元比例</translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="87"/>
        <source>Resamples every L_TOA_&amp;lt;nm&amp;gt; band of a GOCI subset NetCDF (curvilinear latitude/longitude, ~500 m) onto the exact grid of a Landsat GeoTIFF (size, transform, CRS), with pyresample&apos;s Gaussian or nearest-neighbour semantics. The result is a float32 GeoTIFF, one band per GOCI band in wavelength order, nodata NaN, plus a JSON sidecar (parameters, per-band statistics, timings) and a QGIS style (.qml). On the map it shows as a true-colour composite (660/555/490 nm, the wavelengths of Landsat B4/B3/B2) for an overlap check against the Landsat layer. Memory stays bounded whatever the scene size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="98"/>
        <source>The GOCI subset NetCDF clipped to the Landsat footprint (navigation_data/latitude, longitude; geophysical_data/L_TOA_&amp;lt;nm&amp;gt;; mask/inside_mask or inside_footprint).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="103"/>
        <source>The Landsat TOA radiance GeoTIFF of the same scene; its grid is the output grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="107"/>
        <source>Off (default): an existing OUTPUT file that goci-resample did not write is left untouched and the run stops with a message (an earlier result of this plugin is always replaced). The inputs are never overwritten.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="112"/>
        <source>The GeoTIFF to write. A batch run names it GOCI_on_Landsat_&amp;lt;goci stem&amp;gt;_GAUSS.tif (or _NEAREST).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="116"/>
        <source>Fraction (0–1) of the Landsat grid's pixels that received a value in every band.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/resample_pair.py" line="139"/>
        <source>Wrote {path}: {fraction:.1%} of the grid valid in every band, {seconds:.1f} s (read {read:.1f} s, resample {resample:.1f} s, write {write:.1f} s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../goci_resample_plugin/processing/batch_resample.py" line="142"/>
        <source>How many scenes run at once, each in its own process (default 1 = in QGIS&apos;s own process). Each worker needs up to about 1 GB for a full Landsat scene; more workers than CPU cores does not help. Results are identical.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
