"""Pages with a ruled table of the kind administrative reports and appendices carry
(`STT | Nội dung | Đơn vị tính | Số lượng …`), with their truth in reading order.

Tesseract's page segmentation reads such a table across its cells: it glues cells of
neighbouring columns into one line, or reads a column top to bottom. The truth follows
the reading a person gives the table: a title and a paragraph, then the table row by
row, each row one line with its cells left to right separated by a tab (a cell set on
several lines is one cell: its lines joined with a space), then a closing paragraph.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from vnocr.data.admin_pages import SERIF_FONT_SETS, Sheet
from vnocr.data.render import RenderSpec, degrade

_TITLES = (
    "BẢNG TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM",
    "PHỤ LỤC KINH PHÍ HỖ TRỢ CÁC ĐỊA PHƯƠNG",
    "BIỂU THỐNG KÊ DIỆN TÍCH VÀ SẢN LƯỢNG",
)
_INTRO = (
    ("Căn cứ kết quả rà soát của các đơn vị, Ủy ban nhân dân tỉnh tổng hợp số liệu thực "
     "hiện như sau:"),
    ("Thực hiện chỉ đạo của cấp trên, các sở, ngành đã báo cáo kết quả cụ thể theo bảng "
     "dưới đây:"),
)
_CLOSING = (
    "Số liệu trên được tổng hợp từ báo cáo của các huyện, thị xã và thành phố.",
    "Đề nghị các đơn vị rà soát, bổ sung số liệu trước ngày 15 tháng 12.",
)
_TASKS = (
    "Xây dựng trường học đạt chuẩn quốc gia",
    "Hỗ trợ nhà ở cho hộ nghèo",
    "Cứng hóa đường giao thông nông thôn",
    "Trồng rừng tập trung",
    "Đào tạo nghề cho lao động nông thôn",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Kiên cố hóa kênh mương nội đồng",
    "Nâng cấp trạm y tế xã",
)
_UNITS = ("công trình", "hộ", "km", "ha", "người", "hồ sơ", "trạm")
_NOTES = ("Hoàn thành", "Đang thực hiện", "Vượt kế hoạch", "Chuyển sang năm sau")
# Column kinds after STT and Nội dung, in the order a report prints them.
_EXTRA = ("unit", "count", "amount", "note")
_HEADS = {"stt": "STT", "task": "Nội dung", "unit": "Đơn vị tính", "count": "Số lượng",
          "amount": "Kinh phí (triệu đồng)", "note": "Ghi chú"}
_WIDTHS = {"stt": 0.5, "task": 3.0, "unit": 1.2, "count": 1.1, "amount": 1.3, "note": 1.4}


@dataclass(frozen=True)
class TablePage:
    """A rendered page, its truth (reading order, table rows tab-separated) and where
    the table went (left, top, width, height in page pixels)."""

    image: Image.Image
    truth: str
    table_box: tuple[int, int, int, int]


def _number(rng: random.Random) -> str:
    """A count or an amount as Vietnamese print writes it: `.` groups thousands, `,`
    starts the decimals (`3.455`, `202,5`, `1.250,75`)."""
    whole = rng.choice((rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999)))
    text = f"{whole:,}".replace(",", ".")
    if rng.random() < 0.4:
        text += "," + str(rng.randint(1, 99))
    return text


def _cell(kind: str, k: int, rng: random.Random) -> str:
    if kind == "stt":
        return str(k)
    if kind == "task":
        return rng.choice(_TASKS)
    if kind == "unit":
        return rng.choice(_UNITS)
    if kind == "note":
        return rng.choice(_NOTES)
    return _number(rng)


def _draw_table(sheet: Sheet, kinds: list[str], rows: list[list[str]]
                ) -> tuple[list[str], tuple[int, int, int, int]]:
    """Rule the table at the sheet's cursor, set each cell top-left, wrapped to its
    column; the header row bold. Its truth rows and its box."""
    text_w = sheet.right - sheet.left
    total = sum(_WIDTHS[k] for k in kinds)
    xs = [sheet.left]
    for k in kinds:
        xs.append(xs[-1] + round(text_w * _WIDTHS[k] / total))
    pad = round(sheet.px * 0.35)
    rule = max(2, sheet.dpi // 150)
    top = sheet.y
    ys = [top]
    truth: list[str] = []
    for r, row in enumerate(rows):
        style = "b" if r == 0 else "r"
        wrapped = [sheet.wrap(text, xs[c + 1] - xs[c] - 2 * pad, 0, style)
                   for c, text in enumerate(row)]
        height = max(len(w) for w in wrapped) * sheet.pitch + 2 * pad
        for c, lines in enumerate(wrapped):
            for i, ln in enumerate(lines):
                sheet.text_at(xs[c] + pad, ys[-1] + pad + round(sheet.px * 1.05) + i * sheet.pitch,
                              ln, style)
        truth.append("\t".join(" ".join(lines) for lines in wrapped))
        ys.append(ys[-1] + height)
    for y in ys:
        sheet.draw.line([xs[0], y, xs[-1], y], fill=0, width=rule)
    for x in xs:
        sheet.draw.line([x, ys[0], x, ys[-1]], fill=0, width=rule)
    sheet.y = ys[-1]
    return truth, (xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0])


def _paragraph(sheet: Sheet, text: str) -> list[str]:
    """Set `text` as a paragraph with an indented first line at the cursor; its lines."""
    indent = round(0.5 * sheet.dpi)
    lines = sheet.wrap(text, sheet.right - sheet.left, indent)
    for i, ln in enumerate(lines):
        sheet.text_at(sheet.left + (indent if i == 0 else 0), sheet.y, ln)
        sheet.y += sheet.pitch
    return lines


def render_table_page(
    *, seed: int = 0, dpi: int = 300, degrade_spec: dict | None = None
) -> TablePage:
    """One page from `seed`: a bold centred title, a paragraph, a ruled table of 3 to 6
    columns (STT, Nội dung and up to four of unit, count, amount, note) and 3 to 6 data
    rows under a bold header row, and a closing paragraph. `degrade_spec` holds
    `RenderSpec` fields for a print-and-scan copy."""
    rng = random.Random(seed)
    fonts = SERIF_FONT_SETS[seed % len(SERIF_FONT_SETS)]
    sheet = Sheet(fonts, rng.choice((12.0, 13.0, 14.0)), dpi)
    centre = (sheet.left + sheet.right) / 2
    truth: list[str] = []
    title = rng.choice(_TITLES)
    sheet.y += sheet.pitch
    sheet.centred(title, centre, "b")
    truth += [title, ""]
    sheet.y += sheet.pitch * 2
    truth += _paragraph(sheet, rng.choice(_INTRO))
    truth.append("")
    n_extra = rng.randint(1, len(_EXTRA))
    kinds = ["stt", "task", *sorted(rng.sample(_EXTRA, n_extra), key=_EXTRA.index)]
    rows = [[_HEADS[k] for k in kinds]]
    rows += [[_cell(k, r + 1, rng) for k in kinds] for r in range(rng.randint(3, 6))]
    sheet.y += sheet.pitch // 2
    table_truth, box = _draw_table(sheet, kinds, rows)
    truth += [*table_truth, ""]
    sheet.y += sheet.pitch * 2
    truth += _paragraph(sheet, rng.choice(_CLOSING))
    spec = RenderSpec(font=Path(fonts[0]), dpi=dpi, **(degrade_spec or {}))
    image = degrade(sheet.img, spec, seed=seed)
    image.info["dpi"] = (dpi, dpi)
    return TablePage(image, "\n".join(truth).strip() + "\n", box)


__all__ = ["TablePage", "render_table_page"]
