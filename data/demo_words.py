"""Word lists for the synthetic demo records: names, brands, hamlets and rural trades."""

from __future__ import annotations

from dataclasses import dataclass, field

# District groups of the legacy gazetteer (codes 522–536).
LOWLAND = ("522", "524", "527", "528", "532", "533", "534")
MOUNTAIN = ("525", "529", "530", "531", "535")
ISLAND = "536"  # Lý Sơn: no communes
COASTAL = ("522", "524", "528", "533", "534", "536")

# Family names with rough weights (Nguyễn dominant; Đinh, Hồ, Phạm common among the Hrê).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Phạm", 6), ("Võ", 7), ("Huỳnh", 6),
    ("Phan", 4), ("Trương", 3), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 2), ("Ngô", 2), ("Hồ", 3),
    ("Đinh", 3), ("Dương", 1), ("Lương", 1), ("Đoàn", 2), ("Châu", 1), ("Mai", 1), ("Cao", 1),
    ("Tô", 1), ("Lâm", 1), ("Hà", 1), ("Tạ", 1),
)
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Công", "Quốc", "Thanh", "Ngọc",
               "Xuân", "Tấn", "Thành", "Đình")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Thúy",
                 "Bích")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Minh", "Nam", "Phong",
              "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Khánh", "Lộc",
              "Phúc", "Tài", "Thịnh", "Hiếu", "Đạt", "Hòa", "Trí", "Nhân", "Hưng", "Toàn",
              "Kha", "Thuận", "Sang", "Tùng")
GIVEN_FEMALE = ("Anh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Phương", "Thảo",
                "Trang", "Vân", "Yến", "Hạnh", "Liên", "Loan", "Diệu", "Hằng", "Thủy", "Xuân",
                "Tuyết", "Oanh", "Hiền", "Ly", "Sen", "Cúc")

# Two-syllable auspicious brand names: 'Thành Đạt', 'Phú Quý', ...
BRAND_FIRST = ("Thành", "Phú", "Hưng", "Minh", "Tấn", "Phước", "Đại", "Thuận", "Hòa", "Kim",
               "Tân", "Vạn", "Hoàng", "An", "Phát", "Trường", "Quang", "Thiên", "Hải", "Bình",
               "Hồng", "Tiến", "Nhật", "Đức", "Việt", "Gia", "Ngọc", "Thanh", "Nam", "Đông")
BRAND_SECOND = ("Đạt", "Quý", "Thịnh", "Phát", "Lộc", "An", "Phúc", "Long", "Tiến", "Hưng",
                "Khang", "Thành", "Minh", "Huy", "Nguyên", "Tài", "Lợi", "Hòa", "Vượng", "Sang")

# Hamlet (thôn) names of lowland communes; mountain hamlets are mostly numbered or Hrê/Cor names.
HAMLET_FIRST = ("An", "Phú", "Tân", "Thạnh", "Phước", "Long", "Hòa", "Bình", "Mỹ", "Vĩnh",
                "Xuân", "Đông", "Tây", "Nam", "Trung", "Thượng", "Hạ", "Gò", "Bàu", "Đồng",
                "Châu", "Lệ", "Thuận", "Khánh", "Hiệp", "Hải", "Kim", "Lâm", "Sơn", "Thu")
HAMLET_SECOND = ("Phú", "Lộc", "Hòa", "Bình", "Thạnh", "Trung", "Đông", "Tây", "Mỹ", "An",
                 "Hưng", "Thọ", "Lợi", "Xuân", "Sơn", "Thủy", "Điền", "Hội", "Thuận", "Quang")
HAMLET_UPLAND = ("Làng Mâm", "Nước Nia", "Gò Rô", "Xà Ây", "Nước Lác", "Làng Rêu", "Đồng Rinh",
                 "Gò Gạo", "Nước Bung", "Mang Trẫy", "Tà Dô", "Làng Trá")


@dataclass(frozen=True)
class Trade:
    """A rural trade: labels for records and titles, where it is common, firm sizes."""

    label: str  # establishment.trade, e.g. 'Chế biến nông sản'
    short: str  # after 'Cơ sở', e.g. 'chế biến nông sản'
    process: str  # in project titles, e.g. 'chế biến nông sản'
    product: str  # a product, e.g. 'Tinh bột sắn'
    weight: float
    region: dict[str, float] = field(default_factory=dict)  # 'lowland'/'mountain'/'coastal'
    districts: dict[str, float] = field(default_factory=dict)  # district code -> multiplier
    village: str | None = None  # craft-village trade name, when villages of it exist
    htx: str | None = None  # cooperative name stem, when cooperatives are typical


TRADES: tuple[Trade, ...] = (
    Trade("Chế biến nông sản", "chế biến nông sản", "chế biến nông sản", "Tinh bột sắn", 12,
          {"mountain": 1.5}, htx="chế biến nông sản"),
    Trade("Chế biến thủy sản", "chế biến hải sản", "chế biến thủy sản", "Cá cơm khô", 4,
          {"coastal": 1.6, "mountain": 0.0}, htx="dịch vụ thủy sản"),
    Trade("Nước mắm", "nước mắm", "chế biến nước mắm", "Nước mắm cá cơm", 3,
          {"coastal": 1.6, "mountain": 0.0}, village="nước mắm"),
    Trade("Mộc dân dụng", "mộc", "sản xuất đồ gỗ", "Bàn ghế gỗ", 10, {},
          village="mộc"),
    Trade("Cơ khí", "cơ khí", "gia công cơ khí", "Máy tuốt lúa", 9, {"mountain": 0.5},
          village="rèn"),
    Trade("Dệt chiếu", "dệt chiếu", "dệt chiếu cói", "Chiếu cói", 3, {"mountain": 0.1},
          {"524": 2.0, "532": 2.0}, village="dệt chiếu"),
    Trade("Mạch nha", "mạch nha", "sản xuất mạch nha", "Mạch nha", 3, {"mountain": 0.0},
          {"533": 8.0}, village="mạch nha"),
    Trade("Đường phổi", "đường phổi", "sản xuất đường phổi", "Đường phổi", 2, {"mountain": 0.5},
          {"528": 3.0, "527": 2.0, "529": 4.0}, village="đường phổi"),
    Trade("Bánh tráng", "bánh tráng", "sản xuất bánh tráng", "Bánh tráng", 6,
          {"mountain": 0.3}, village="bánh tráng"),
    Trade("Gạch ngói", "gạch ngói", "sản xuất gạch ngói", "Gạch tuynel", 3, {"mountain": 0.3},
          {"532": 2.0, "528": 2.0}),
    Trade("May mặc", "may", "may mặc", "Quần áo bảo hộ lao động", 6, {"mountain": 0.3},
          {"522": 2.5, "534": 1.5}, htx="may"),
    Trade("Mây tre đan", "mây tre đan", "đan lát mây tre", "Rổ rá mây tre", 4,
          {"mountain": 2.0}, village="mây tre đan", htx="mây tre đan"),
    Trade("Xay xát lương thực", "xay xát", "xay xát lúa gạo", "Gạo", 6, {"mountain": 1.0}),
    Trade("Bún, bánh", "bún", "sản xuất bún, bánh", "Bún khô", 4, {}, village="bún"),
    Trade("Rượu", "nấu rượu", "nấu rượu", "Rượu gạo", 2, {"mountain": 1.5}, village="nấu rượu"),
    Trade("Chế biến quế", "chế biến quế", "chế biến quế", "Tinh dầu quế", 2,
          {"lowland": 0.0}, {"525": 10.0, "529": 2.0}, htx="quế"),
    Trade("Chế biến gỗ rừng trồng", "chế biến gỗ", "chế biến gỗ rừng trồng", "Dăm gỗ keo", 3,
          {"mountain": 2.5}),
    Trade("Dệt thổ cẩm", "dệt thổ cẩm", "dệt thổ cẩm", "Vải thổ cẩm", 1, {"lowland": 0.0},
          {"535": 8.0, "530": 4.0}, village="dệt thổ cẩm", htx="dệt thổ cẩm"),
    Trade("Chế biến tỏi", "chế biến tỏi", "chế biến tỏi", "Tỏi đen Lý Sơn", 0.5,
          {"mountain": 0.0}, {"536": 50.0}),
    Trade("Đá mỹ nghệ", "đá mỹ nghệ", "chế tác đá mỹ nghệ", "Đá mỹ nghệ", 1,
          {"mountain": 0.2}),
    Trade("Nước đá", "nước đá", "sản xuất nước đá", "Nước đá cây", 2,
          {"coastal": 1.6, "mountain": 0.2}),
)
