"""Pages laid out like Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP),
with their truth in reading order, to measure layout analysis on pages we made.

`render.render_page` prints one line under the other; real administrative pages are not
read that way: a two-column header (issuing body and number on the left, the national
motto and the place and date on the right), a bold centred title, indented and numbered
paragraphs, a two-column signature block, a page number in the top margin, and a black
"received" stamp (a ruled box with handwriting) pressed over the first lines. The truth
follows the convention of transcribed real pages: each column of a two-column block
whole, left before right; printed text only (no stamp, no page number).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from vnocr.data.pages import wrap_words
from vnocr.data.render import RenderSpec, degrade

# Serif faces (regular, bold, italic) of the kind Vietnamese documents and books are
# set in (Times New Roman metrics).
SERIF_FONT_SETS = (
    (
        "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf",
        "/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    ),
)

_BODIES = (
    ("ỦY BAN NHÂN DÂN", "TỈNH {p}"),
    ("ỦY BAN NHÂN DÂN", "HUYỆN {d}"),
    ("SỞ TƯ PHÁP", "TỈNH {p}"),
    ("HỘI ĐỒNG NHÂN DÂN", "TỈNH {p}"),
)
_PROVINCES = ("BÌNH ĐỊNH", "KON TUM", "QUẢNG NAM", "LÂM ĐỒNG", "PHÚ YÊN", "ĐẮK LẮK", "GIA LAI")
_DISTRICTS = ("SƠN TỊNH", "BA TƠ", "ĐỨC PHỔ", "TƯ NGHĨA", "MỘ ĐỨC", "NGHĨA HÀNH")
_PLACES = ("Quy Nhơn", "Kon Tum", "Tam Kỳ", "Đà Lạt", "Tuy Hòa", "Buôn Ma Thuột", "Pleiku")
_KINDS = (
    ("CHỈ THỊ", "CT"),
    ("QUYẾT ĐỊNH", "QĐ"),
    ("BÁO CÁO", "BC"),
    ("KẾ HOẠCH", "KH"),
    ("THÔNG BÁO", "TB"),
)
_SUBJECTS = (
    "Về việc tăng cường công tác quản lý đất đai trên địa bàn",
    "Về việc triển khai thực hiện chương trình chuyển đổi số năm tới",
    "Về việc phòng, chống thiên tai và tìm kiếm cứu nạn mùa mưa bão",
    "Về việc điều chỉnh kế hoạch đầu tư công trung hạn của các đơn vị",
    "Về việc chấn chỉnh kỷ luật, kỷ cương hành chính trong cơ quan nhà nước",
)
_RECIPIENTS = (
    "- Như trên;",
    "- Thường trực Tỉnh ủy;",
    "- Thường trực HĐND tỉnh;",
    "- Chủ tịch, các PCT UBND tỉnh;",
    "- Các sở, ban, ngành;",
    "- Lưu: VT, KT.",
)
_SIGNER_NAMES = ("Nguyễn Văn Hùng", "Trần Thị Thu Hà", "Lê Minh Đức", "Phạm Quốc Bảo")
# Sentences for the body when no corpus text is given.
_SENTENCES = (
    (
        "Thời gian qua, công tác quản lý nhà nước trên các lĩnh vực đã đạt được nhiều kết quả "
        "tích cực, góp phần ổn định tình hình kinh tế - xã hội của địa phương."
    ),
    (
        "Tuy nhiên, việc thực hiện ở một số cơ quan, đơn vị còn chậm, chưa đồng bộ, chất lượng "
        "tham mưu chưa cao, chưa đáp ứng yêu cầu nhiệm vụ trong tình hình mới."
    ),
    (
        "Các sở, ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố có trách nhiệm tổ "
        "chức quán triệt, triển khai thực hiện nghiêm túc các nội dung sau đây."
    ),
    (
        "Kiểm tra, rà soát hồ sơ, thủ tục đúng quy định; kịp thời phát hiện, xử lý các trường "
        "hợp vi phạm và báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày cuối tháng."
    ),
    (
        "Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, đôn đốc việc "
        "thực hiện và tổng hợp những khó khăn, vướng mắc để đề xuất giải quyết."
    ),
    (
        "Đẩy mạnh tuyên truyền, phổ biến pháp luật đến cán bộ, công chức và nhân dân, nâng cao "
        "nhận thức, trách nhiệm của người đứng đầu trong việc chấp hành."
    ),
)


_STAMP_WIDTH = 0.22  # of the page width


@dataclass(frozen=True)
class AdminPage:
    """A rendered page, its truth (reading order, printed text only) and where the
    received-stamp went (left, top, width, height in page pixels; None: no stamp)."""

    image: Image.Image
    truth: str
    stamp_box: tuple[int, int, int, int] | None


class Sheet:
    """A page being set: a cursor that moves down, fonts (regular, bold, italic) at one
    size. Defaults: an A4 administrative page; `book_pages` sets A5 with its own."""

    def __init__(self, fonts: tuple[str, str, str], size_pt: float, dpi: int, *,
                 page_in: tuple[float, float] = (8.27, 11.69),
                 margins_in: tuple[float, float] = (1.18, 0.7), leading: float = 1.45) -> None:
        self.dpi = dpi
        self.width, self.height = round(page_in[0] * dpi), round(page_in[1] * dpi)
        self.left, self.right = round(margins_in[0] * dpi), self.width - round(margins_in[1] * dpi)
        self.img = Image.new("L", (self.width, self.height), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.px = round(size_pt * dpi / 72)
        self.font = {k: ImageFont.truetype(f, self.px) for k, f in zip("rbi", fonts, strict=True)}
        self.pitch = round(self.px * leading)
        self.y = round(0.8 * dpi)

    def text_at(self, x: float, y: float, text: str, style: str = "r", anchor: str = "ls") -> None:
        self.draw.text((x, y), text, font=self.font[style], fill=0, anchor=anchor)

    def centred(self, text: str, centre: float, style: str = "r") -> None:
        self.text_at(centre, self.y, text, style, anchor="ms")

    def wrap(self, text: str, width: float, indent: float, style: str = "r") -> list[str]:
        """Greedy wrap; the first line is `indent` narrower."""
        return wrap_words(text, self.font[style].getlength, width, indent)


def _scribble(
    draw: ImageDraw.ImageDraw, x: float, y: float, w: float, h: float, rng: random.Random
) -> None:
    """Handwriting-like strokes: a wavy pen line with loops, `w` wide, `h` tall."""
    pts = []
    n = max(6, int(w / (h * 0.35)))
    for k in range(n + 1):
        pts.append(
            (x + w * k / n + rng.uniform(-h * 0.2, h * 0.2), y - h * (0.2 + 0.8 * rng.random()))
        )
    draw.line(pts, fill=0, width=max(2, round(h / 9)), joint="curve")


def _stamp(sheet: Sheet, x: int, y: int, rng: random.Random) -> tuple[int, int, int, int]:
    """A received-stamp: a ruled box, `CV ĐẾN` on the left, numbered fields with
    handwriting on the right; its top-left corner at (x, y)."""
    small = ImageFont.truetype(str(Path(SERIF_FONT_SETS[0][0])), round(sheet.pitch * 0.45))
    big = ImageFont.truetype(str(Path(SERIF_FONT_SETS[0][1])), round(sheet.pitch * 0.7))
    w, h = round(sheet.width * _STAMP_WIDTH), round(sheet.pitch * 3.6)
    lw = max(2, sheet.dpi // 100)
    d = sheet.draw
    d.rectangle([x, y, x + w, y + h], outline=0, width=lw)
    top = y + h // 5
    d.line([x, top, x + w, top], fill=0, width=lw)
    split = x + w // 4
    d.line([split, top, split, y + h], fill=0, width=lw)
    d.text(
        (x + w / 2, top - h * 0.04), "TRUNG TÂM CÔNG BÁO - TIN HỌC", font=small, fill=0, anchor="ms"
    )
    d.text((x + w / 8, top + h * 0.33), "CV", font=big, fill=0, anchor="ms")
    d.text((x + w / 8, top + h * 0.7), "ĐẾN", font=big, fill=0, anchor="ms")
    for k, label in enumerate(("Số:", "Ngày:", "Chuyển:")):
        fy = top + (h - (top - y)) * (k + 1) / 3.4
        d.text((split + lw * 3, fy), label, font=small, fill=0, anchor="ls")
        if k < 2:
            _scribble(d, split + w * 0.25, fy, w * 0.35, sheet.pitch * 0.8, rng)
    return (x, y, w, h)


def render_admin_page(
    body: list[str] | None = None,
    *,
    seed: int = 0,
    dpi: int = 300,
    stamp: bool = True,
    page_number: int | None = None,
    signature: bool = True,
    degrade_spec: dict | None = None,
) -> AdminPage:
    """One page in the Nghị định 30 layout from `seed`; `body` gives the paragraphs
    (built-in sentences when None). `degrade_spec` holds `RenderSpec` fields (blur,
    speckle, rotate_deg, jpeg_quality, ink_spread) for a print-and-scan copy."""
    rng = random.Random(seed)
    fonts = SERIF_FONT_SETS[seed % len(SERIF_FONT_SETS)]
    sheet = Sheet(fonts, rng.choice((13.0, 13.5, 14.0)), dpi)
    truth_left: list[str] = []
    truth_right: list[str] = []
    truth_body: list[str] = []
    if page_number is not None:
        sheet.centred(str(page_number), sheet.width / 2)
        sheet.y += sheet.pitch * 2
    # Header: the left column about 40 % of the text width, each line centred in it.
    province, district = rng.choice(_PROVINCES), rng.choice(_DISTRICTS)
    b1, b2 = rng.choice(_BODIES)
    b2 = b2.format(p=province, d=district)
    kind, code = rng.choice(_KINDS)
    number = f"Số: {rng.randint(12, 2999)}/{code}-UBND"
    place = rng.choice(_PLACES)
    date = f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.randint(2016, 2024)}"
    text_w = sheet.right - sheet.left
    lc = sheet.left + 0.2 * text_w
    rc = sheet.left + 0.68 * text_w
    sheet.y += sheet.pitch
    sheet.centred(b1, lc)
    sheet.centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rc, "b")
    sheet.y += sheet.pitch
    sheet.centred(b2, lc, "b")
    sheet.centred("Độc lập - Tự do - Hạnh phúc", rc, "b")
    for centre, text, style in ((lc, b2, "b"), (rc, "Độc lập - Tự do - Hạnh phúc", "b")):
        half = sheet.font[style].getlength(text) * 0.3
        uy = sheet.y + sheet.pitch * 0.25
        sheet.draw.line([centre - half, uy, centre + half, uy], fill=0, width=max(2, dpi // 150))
    sheet.y += round(sheet.pitch * 1.6)
    sheet.centred(number, lc)
    sheet.centred(date, rc, "i")
    truth_left += [b1, b2, number]
    truth_right += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", date]
    # Title and subject, bold and centred on the text area.
    centre = (sheet.left + sheet.right) / 2
    sheet.y += round(sheet.pitch * 2)
    sheet.centred(kind, centre, "b")
    truth_body.append(kind)
    sheet.y += sheet.pitch
    subject = rng.choice(_SUBJECTS)
    for ln in sheet.wrap(subject, text_w * 0.75, 0, "b"):
        sheet.centred(ln, centre, "b")
        truth_body.append(ln)
        sheet.y += sheet.pitch
    sheet.y += sheet.pitch
    # Body: indented paragraphs, some of them numbered items.
    paras = list(body) if body else rng.sample(_SENTENCES, 4)
    stamp_box = None
    indent = round(0.5 * dpi)
    n_item = 0
    for k, para in enumerate(paras):
        if k and rng.random() < 0.5:
            n_item += 1
            para = f"{n_item}. {para}"
        lines = sheet.wrap(para, text_w, indent)
        if sheet.y + sheet.pitch * (len(lines) + 8) > sheet.height - 0.8 * dpi:
            break
        if stamp and stamp_box is None:
            # Pressed in the left margin, its right edge over the first body words.
            stamp_box = _stamp(
                sheet,
                max(
                    round(0.15 * dpi),
                    round(sheet.left + indent + 0.35 * dpi - sheet.width * _STAMP_WIDTH),
                ),
                round(sheet.y - sheet.pitch * 2.2),
                rng,
            )
        for i, ln in enumerate(lines):
            sheet.text_at(sheet.left + (indent if i == 0 else 0), sheet.y, ln)
            truth_body.append(ln)
            sheet.y += sheet.pitch
        truth_body.append("")
    truth_sig_left: list[str] = []
    truth_sig_right: list[str] = []
    if signature:
        sheet.y += sheet.pitch
        top = sheet.y
        sheet.text_at(sheet.left, sheet.y, "Nơi nhận:", "i")
        truth_sig_left.append("Nơi nhận:")
        for r in rng.sample(_RECIPIENTS[:-1], 3) + [_RECIPIENTS[-1]]:
            sheet.y += round(sheet.pitch * 0.8)
            sheet.text_at(sheet.left, sheet.y, r)
            truth_sig_left.append(r)
        sheet.y = top
        signer = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        for s in signer:
            sheet.centred(s, rc, "b")
            sheet.y += sheet.pitch
        name = rng.choice(_SIGNER_NAMES)
        sheet.y += sheet.pitch * 3
        sheet.centred(name, rc, "b")
        truth_sig_right += [*signer, name]
    truth = "\n".join(
        [*truth_left, "", *truth_right, "", *truth_body, *truth_sig_left, "", *truth_sig_right]
    )
    spec = RenderSpec(font=Path(fonts[0]), dpi=dpi, **(degrade_spec or {}))
    image = degrade(sheet.img, spec, seed=seed)
    image.info["dpi"] = (dpi, dpi)
    return AdminPage(image, truth.strip() + "\n", stamp_box)


__all__ = ["SERIF_FONT_SETS", "AdminPage", "Sheet", "render_admin_page"]
