"""Image exports: a still map (PNG/SVG/PDF) and an animation (GIF/MP4).

Both are drawn by :class:`views.static_render.MapRenderer`, so every image and
every frame carries the title, the date, the legend of what is drawn, the
sources as cited and the basemap attribution. The default extent fits what is
drawn on the date (an animation: on any of its dates); ``bbox`` overrides it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from layers.timeline import to_date
from views.export_file import ATTRIBUTION, MIME, TITLE, Export, ExportUnavailableError
from views.render_frame import chosen_layers
from views.render_furniture import layer_areas
from views.static_render import FORMATS, MapRenderer

__all__ = ["ANIMATION_FORMATS", "animation_dates", "export_animation", "export_image",
           "mp4_available"]

ANIMATION_FORMATS = ("gif", "mp4")


def export_image(timeline: Any, base: Any, on: str | dt.date,
                 layers: Iterable[str] | None = None, *, fmt: str = "png",
                 width_px: int = 1600, height_px: int = 1000, dpi: float = 150.0,
                 bbox: Sequence[float] | None = None) -> Export:
    """Export the static map of ``on`` (see :func:`views.static_render.render_png`).

    Returns
    -------
    Export
        ``meta``: ``frame`` (the :class:`views.render_frame.MapFrame` drawn),
        ``legend`` (the legend's labels), ``sources`` (as cited) and ``texts``
        (every text drawn).

    Raises
    ------
    ValueError
        For an unknown format, a size or dpi out of range, or a bad ``bbox``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    day = to_date(on)
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi, on=day, bbox=bbox)
    renderer.draw(day)
    meta = {"frame": renderer.frame, "legend": [e.label for e in renderer.legend(day)],
            "sources": renderer.sources(day), "texts": renderer.texts()}
    return Export(f"frontline_{day.isoformat()}.{fmt}", MIME[fmt], renderer.to_bytes(fmt),
                  meta=meta)


def animation_dates(timeline: Any, start: str | dt.date | None = None,
                    end: str | dt.date | None = None, layers: Iterable[str] | None = None
                    ) -> list[dt.date]:
    """One date per distinct state between ``start`` and ``end`` (inclusive).

    The first frame is ``start`` itself (default: the first change date), then
    every date in ``(start, end]`` on which one of the chosen layers changes.

    Raises
    ------
    ValueError
        If ``end`` is before ``start``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from layers import Timeline
    >>> rows = [dict(id=i, layer="ukrainian_held", status="held", valid_from=a, valid_to=b,
    ...              geometry=box(35, 51, 35.1, 51.1)) for i, a, b in
    ...         [("a", dt.date(2024, 8, 6), dt.date(2024, 9, 1)), ("b", dt.date(2024, 9, 1), None)]]
    >>> tl = Timeline(gpd.GeoDataFrame(rows, crs="EPSG:4326"))
    >>> [d.isoformat() for d in animation_dates(tl)]
    ['2024-08-06', '2024-09-01']
    >>> [d.isoformat() for d in animation_dates(tl, "2024-08-20")]
    ['2024-08-20', '2024-09-01']
    """
    changes: set[dt.date] = set()
    for layer in chosen_layers(timeline, layers):
        changes.update(timeline.change_dates(layer))
    first = to_date(start) if start is not None else (min(changes) if changes
                                                       else timeline.start)
    last = to_date(end) if end is not None else timeline.end
    if last < first:
        raise ValueError(f"the end date {last.isoformat()} is before the start date "
                         f"{first.isoformat()}")
    return [first] + sorted(d for d in changes if first < d <= last)


def mp4_available() -> bool:
    """Whether MP4 export works (the optional ``imageio-ffmpeg`` package is installed)."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return False
    return True


def _gif_bytes(frames: list[np.ndarray], durations: list[int], comment: str) -> bytes:
    from PIL import Image

    images = [Image.fromarray(f) for f in frames]
    # One palette for every frame (from a strip of first, middle and last), no dithering:
    # flat map colours stay flat and do not flicker between frames.
    sample = [images[0], images[len(images) // 2], images[-1]]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for k, im in enumerate(sample):
        strip.paste(im, (0, k * im.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quant = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    buf = io.BytesIO()
    quant[0].save(buf, format="GIF", save_all=True, append_images=quant[1:],
                  duration=durations, loop=0, comment=comment.encode("utf-8"),
                  optimize=False, disposal=1)
    return buf.getvalue()


def _mp4_bytes(frames: list[np.ndarray], fps: float) -> bytes:
    if not mp4_available():
        raise ExportUnavailableError(
            "MP4 export needs the optional package imageio-ffmpeg: "
            "pip install 'kursk-frontline[video]' (or export a GIF)")
    import imageio.v2 as imageio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "anim.mp4"
        writer = imageio.get_writer(
            path, format="FFMPEG", fps=fps, codec="libx264", pixelformat="yuv420p",
            macro_block_size=2, quality=8,
            ffmpeg_params=["-fflags", "+bitexact", "-flags:v", "+bitexact",
                           "-map_metadata", "-1", "-metadata", f"title={TITLE}",
                           "-metadata", f"copyright={ATTRIBUTION}", "-threads", "1"],
            ffmpeg_log_level="error")
        try:
            for frame in frames:
                h, w = frame.shape[:2]
                writer.append_data(frame[: h - h % 2, : w - w % 2])
        finally:
            writer.close()
        return path.read_bytes()


def export_animation(timeline: Any, base: Any, start: str | dt.date | None = None,
                     end: str | dt.date | None = None, layers: Iterable[str] | None = None,
                     *, fmt: str = "gif", width_px: int = 1200, height_px: int = 750,
                     dpi: float = 100.0, frame_ms: int = 700, hold_last_ms: int = 2500,
                     progress: Callable[[int, int], None] | None = None,
                     bbox: Sequence[float] | None = None) -> Export:
    """Export an animated map: one frame per state (see :func:`animation_dates`).

    Each frame shows its date, the legend of what is drawn with each area, the
    sources and the attribution. The basemap, labels and decorations are drawn
    once and reused for every frame; the extent fits what is drawn on any of
    the frames' dates (or ``bbox``), so the frames share it.

    Parameters
    ----------
    timeline, base
        As for :func:`views.static_render.render_png`.
    start, end : str or datetime.date, optional
        The date range (default: the whole timeline).
    layers : iterable of str, optional
        Layer ids (default: all).
    fmt : {"gif", "mp4"}
    width_px, height_px, dpi
        Frame size.
    frame_ms, hold_last_ms : int
        How long each frame (the last frame) shows in the GIF; the MP4 runs at
        ``1000 / frame_ms`` frames per second.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first frame and after each.
    bbox : sequence of 4 float, optional
        ``(lon_min, lat_min, lon_max, lat_max)`` to show.

    Returns
    -------
    Export
        ``meta["frames"]`` lists each frame's ISO date; the GIF's comment holds
        the same list as JSON (``{"frames": [...], "title": ..., "attribution": ...}``).

    Raises
    ------
    ValueError
        For an unknown format, a bad range or a bad ``bbox``.
    ExportUnavailableError
        For MP4 without imageio-ffmpeg.
    """
    if fmt not in ANIMATION_FORMATS:
        raise ValueError(f"animation format {fmt!r} is not one of "
                         f"{', '.join(ANIMATION_FORMATS)}")
    if fmt == "mp4" and not mp4_available():
        _mp4_bytes([], 1.0)  # raises the explanatory error before any rendering
    dates = animation_dates(timeline, start, end, layers)
    renderer = MapRenderer(timeline, base, None if layers is None else list(layers),
                           width_px=width_px, height_px=height_px, dpi=dpi, on=dates,
                           bbox=bbox)
    total = len(dates)
    if progress is not None:
        progress(0, total)
    frames = []
    for k, (_day, rgb) in enumerate(renderer.frames(dates), start=1):
        frames.append(rgb)
        if progress is not None:
            progress(k, total)
    iso = [d.isoformat() for d in dates]
    meta = {"frames": iso, "frame": renderer.frame,
            "areas_km2": [{f"{la}/{st}": round(a, 3)
                           for la, st, a in layer_areas(timeline, d, renderer.layers)}
                          for d in dates]}
    name = f"frontline_{iso[0]}_{to_date(end).isoformat() if end else iso[-1]}.{fmt}"
    if fmt == "gif":
        durations = [frame_ms] * (total - 1) + [max(frame_ms, hold_last_ms)]
        comment = json.dumps({"frames": iso, "title": TITLE, "attribution": ATTRIBUTION},
                             ensure_ascii=False)
        data = _gif_bytes(frames, durations, comment)
    else:
        data = _mp4_bytes(frames, 1000.0 / frame_ms)
    return Export(name, MIME[fmt], data, meta=meta)
