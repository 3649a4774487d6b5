"""电子印章: an organisation's round red seal drawn from its name with Pillow (the name along
the upper arc, a five-pointed star in the middle, 电子签章 below), used when no image was
uploaded. The font is a CJK font found by fontconfig's usual paths (Noto CJK on Debian)."""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
RED = (210, 20, 20, 255)
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


class SealError(Exception):
    """No CJK font to draw a seal with (message in Chinese)."""


@cache
def _font_path() -> str:
    for path in FONT_PATHS:
        if Path(path).exists():
            return path
    raise SealError("未找到中文字体，无法生成电子印章：请安装 Debian 软件包 fonts-noto-cjk")


def _font(size: int) -> ImageFont.FreeTypeFont:
    # index 2: the Simplified Chinese face of the Noto CJK collections (SC).
    path = _font_path()
    return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def draw_seal(name: str) -> bytes:
    """The PNG of a round seal with ``name`` along its upper arc (transparent background)."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), outline=RED, width=12)
    _star(draw, c, c, SIZE * 0.15)
    chars = list(name.strip()) or ["印"]
    font_size = max(22, min(56, int(640 / max(len(chars), 1))))
    font = _font(font_size)
    radius = c - 24 - font_size * 0.65
    # Spread the characters over an arc of up to 240°, centred on the top.
    span = min(math.radians(240), math.radians(22) * len(chars))
    step = span / max(len(chars) - 1, 1)
    start = -math.pi / 2 - span / 2 if len(chars) > 1 else -math.pi / 2
    for i, char in enumerate(chars):
        angle = start + i * step
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), char, font=font, fill=RED, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(angle) - font_size
        y = c + radius * math.sin(angle) - font_size
        image.alpha_composite(rotated, (round(x), round(y)))
    label = _font(34)
    draw.text((c, c + SIZE * 0.27), "电子签章", font=label, fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
