"""Imported by the worker processes' forkserver only (archive/workers.py, workers_upload.py):
extracts one small plan so what extraction builds on first use (spaCy and its phrase
matchers, compiled word lists) is built once in the server and every worker or upload child
forks with it, instead of each paying ~0.8 s of CPU on its first file.
"""
from __future__ import annotations

import gc

SAMPLE = """ỦY BAN NHÂN DÂN
HUYỆN MẪU

Số: 12/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Mẫu, ngày 15 tháng 3 năm 2024

KẾ HOẠCH
Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ;

I. MỤC TIÊU
1. Tỷ lệ hộ nghèo giảm 1,5% so với năm 2023.

II. NHIỆM VỤ
Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo.
Kinh phí: 1.500 triệu đồng, trong đó ngân sách trung ương 1.200 triệu đồng.

III. TỔ CHỨC THỰC HIỆN
1. Phòng Lao động - Thương binh và Xã hội chủ trì, phối hợp với Phòng Tài chính - Kế hoạch
tham mưu Ủy ban nhân dân huyện triển khai thực hiện.

Nơi nhận:
- Sở Lao động - Thương binh và Xã hội;
- Lưu: VT.
"""


def warm() -> None:
    try:
        from extraction.pipeline import extract
        plan = extract(SAMPLE, doc="warm")
        from index.documents import build_docs
        from index.similar import clause_rows
        clause_rows(build_docs("warm", plan, "")[1])
        from archive.duplicates import fingerprint
        fingerprint(SAMPLE)
    except Exception:  # noqa: BLE001 - a warm-up only: the workers build what they need anyway
        pass
    # what is built so far lives as long as the workers: out of the collector's full passes
    # (spaCy, word lists, gazetteers; ~0.6 -> 0.01 ms a plan of gen-2 collections), and the
    # forked workers share its pages instead of copying those the collector would touch
    gc.freeze()


warm()
