<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- goci-resample difference style: ${name}, a diverging ramp (blue: GOCI below Landsat, red:
     above) with limits ±${limit}, symmetric about 0. Placeholders are filled by
     core/write/style.py. -->
<qgis version="3.22.0" styleCategories="AllStyleCategories" hasScaleBasedVisibilityFlag="0" minScale="1e+08" maxScale="0">
  <pipe>
    <rasterrenderer type="singlebandpseudocolor" band="${band}" opacity="1" alphaBand="-1" classificationMin="-${limit}" classificationMax="${limit}" nodataColor="">
      <rasterTransparency/>
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <rastershader>
        <colorrampshader colorRampType="INTERPOLATED" classificationMode="1" clip="0" minimumValue="-${limit}" maximumValue="${limit}" labelPrecision="3">
          <colorramp type="gradient" name="[source]">
            <Option type="Map">
              <Option type="QString" name="color1" value="33,102,172,255"/>
              <Option type="QString" name="color2" value="178,24,43,255"/>
              <Option type="QString" name="discrete" value="0"/>
              <Option type="QString" name="rampType" value="gradient"/>
              <Option type="QString" name="stops" value="0.5;247,247,247,255"/>
            </Option>
          </colorramp>
          <item alpha="255" value="-${limit}" label="-${limit}" color="#2166ac"/>
          <item alpha="255" value="0" label="0" color="#f7f7f7"/>
          <item alpha="255" value="${limit}" label="${limit}" color="#b2182b"/>
        </colorrampshader>
      </rastershader>
    </rasterrenderer>
    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" grayscaleMode="0" colorizeOn="0" colorizeRed="255" colorizeGreen="128" colorizeBlue="128" colorizeStrength="100"/>
    <rasterresampler maxOversampling="2"/>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
