"""Training data: corpus reading, page rendering, OCR alignment and learned noise.

from vnocr.data.corpus import iter_lines, WeightedSampler, split_of
from vnocr.data.noise import corrupt_tokens, corrupt_line, NoiseModel
from vnocr.data.render import find_fonts, RenderSpec, render_page
from vnocr.data.devsets import load_devset
"""
