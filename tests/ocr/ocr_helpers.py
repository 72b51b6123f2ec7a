"""Helpers for the OCR-stage tests: pages rendered at test time, never stored files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from vnocr.data.render import RenderSpec, find_fonts, render_page

# Ordinary administrative Vietnamese, written for these tests (not from samples/).
LINES = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị tổng kết công tác năm 2024.",
    "Các đơn vị báo cáo kết quả thực hiện nhiệm vụ trước ngày 15 tháng 12.",
    "Hội đồng thẩm định hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất.",
    "Đề nghị các phòng, ban chuyên môn phối hợp triển khai kế hoạch này.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách địa phương.",
    "Trường hợp có vướng mắc, phản ánh về Văn phòng để tổng hợp, xử lý.",
]


def serif_font() -> Path:
    fonts = find_fonts()
    if not fonts:
        pytest.fail("no font with Vietnamese glyphs installed (run `make setup`)")
    serif = [f for f in fonts if "Serif" in f.name]
    return (serif or fonts)[0]


def render(lines: list[str], font: Path, **spec: object) -> Image.Image:
    return render_page(lines, RenderSpec(font=font, **spec), seed=1)  # type: ignore[arg-type]
