"""The Vietnamese the demo year is written in: people's names, and initiatives' titles, problems
and solutions built from templates per field around the objects of the oil and gas industry.
Invented: any likeness to a real person or initiative is chance."""

from collections.abc import Sequence
from random import Random

# Family names roughly as common as they are in Vietnam (Nguyễn about a third).
FAMILY = (
    ("Nguyễn", 34),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 3),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Lương", 1),
)
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Hoàng", "Quốc")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thị Thu", "Thị Minh", "Hồng")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Hưng", "Khang", "Khoa",
    "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
    "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Châu", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan",
    "Liên", "Linh", "Loan", "Mai", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên",
    "Tâm", "Thảo", "Trang", "Uyên", "Vân", "Yến",
)  # fmt: skip


def person_name(rng: Random) -> str:
    family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
    if rng.random() < 0.7:  # the industry's workforce is mostly men
        return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


# Where each affiliated union's people work: the places its titles name.
SITES: dict[str, Sequence[str]] = {
    "CQTD": ("Cơ quan Tập đoàn", "Văn phòng Tập đoàn", "Ban Kỹ thuật Sản xuất"),
    "PVEP": ("mỏ Đại Hùng", "mỏ Sông Đốc", "Lô 09-2/09", "Trung tâm điều hành khai thác"),
    "VSP": ("mỏ Bạch Hổ", "mỏ Rồng", "giàn MSP-4", "giàn CTP-2", "giàn BK-9", "căn cứ Vũng Tàu"),
    "BDPOC": ("giàn Hải Thạch", "giàn Mộc Tinh", "kho nổi FSO", "đường ống Nam Côn Sơn 2"),
    "PVGAS": (
        "Nhà máy xử lý khí Dinh Cố",
        "Trạm phân phối khí Phú Mỹ",
        "Kho cảng LPG Thị Vải",
        "đường ống Rạch Đông",
        "Trung tâm phân phối khí Cà Mau",
    ),
    "PVPOWER": ("Nhà máy điện Cà Mau 1", "Nhà máy điện Nhơn Trạch 2", "Thủy điện Hủa Na"),
    "BSR": (
        "Nhà máy lọc dầu Dung Quất",
        "phân xưởng RFCC",
        "phân xưởng chưng cất dầu thô",
        "Nhà máy nhiên liệu sinh học",
    ),
    "PVFCCO": ("Nhà máy Đạm Phú Mỹ", "xưởng NH3", "xưởng Urê", "kho thành phẩm Phú Mỹ"),
    "PVCFC": ("Nhà máy Đạm Cà Mau", "xưởng Urê", "cảng xuất sản phẩm Cà Mau"),
    "PVD": ("giàn khoan PV DRILLING I", "giàn khoan PV DRILLING II", "xưởng sửa chữa Vũng Tàu"),
    "PTSC": (
        "Cảng Hạ lưu PTSC",
        "tàu dịch vụ PTSC Thăng Long",
        "bãi chế tạo Vũng Tàu",
        "kho nổi FPSO Lam Sơn",
    ),
    "PVTRANS": ("tàu chở dầu PVT Mercury", "tàu chở LPG Hải Linh", "cảng Sao Mai"),
    "PVC": ("công trường Long Sơn", "xưởng kết cấu kim loại Vũng Tàu"),
    "PVI": ("Trung tâm giám định tổn thất", "phòng bồi thường", "Văn phòng Tổng công ty"),
    "PVOIL": ("kho xăng dầu Nhà Bè", "kho xăng dầu Vũng Tàu", "chuỗi cửa hàng xăng dầu"),
    "PETROSETCO": ("trung tâm phân phối Sài Gòn", "khu dịch vụ Vũng Tàu"),
    "VPI": ("phòng thí nghiệm phân tích dầu khí", "Trung tâm nghiên cứu chế biến"),
    "PVU": ("phòng thí nghiệm khoan", "Khoa Dầu khí", "thư viện trường"),
}
EQUIPMENT = (
    "máy nén khí",
    "bồn chứa",
    "đường ống dẫn khí",
    "lò hơi",
    "máy bơm ly tâm",
    "van an toàn",
    "bộ trao đổi nhiệt",
    "tháp chưng cất",
    "tuabin khí",
    "máy phát điện",
    "cẩu giàn",
    "hệ thống làm mát",
    "đầu giếng khai thác",
    "thiết bị tách lỏng khí",
    "cụm van điều khiển",
    "hệ thống khí nén điều khiển",
    "máy khoan",
    "hệ thống dầu bôi trơn",
)
PARTS = (
    "cánh bơm",
    "gioăng làm kín",
    "ổ đỡ",
    "bộ lọc",
    "cảm biến áp suất",
    "mặt bích",
    "khớp nối",
    "bộ điều tốc",
)
DOCUMENTS = (
    "hồ sơ thanh toán",
    "quy trình mua sắm vật tư",
    "sổ theo dõi thiết bị",
    "báo cáo ca vận hành",
    "kế hoạch bảo dưỡng",
    "hồ sơ nhân sự",
    "công văn đi đến",
    "quy trình nghiệm thu",
)
HAZARDS = (
    "rò rỉ khí",
    "cháy nổ",
    "ngã cao",
    "điện giật",
    "ngộ độc H2S",
    "va chạm khi cẩu hàng",
    "say nóng",
)
WASTE = ("nước thải nhiễm dầu", "khí đốt bỏ", "bùn thải", "chất thải rắn", "dầu thải")

TITLES: dict[str, Sequence[str]] = {
    "technical": (
        "Cải tiến {part} của {equipment} tại {site}",
        "Tối ưu hóa chế độ vận hành {equipment} tại {site}",
        "Chế tạo dụng cụ chuyên dùng tháo lắp {part} {equipment}",
        "Giải pháp giảm tiêu hao năng lượng cho {equipment} tại {site}",
        "Kéo dài tuổi thọ {part} {equipment} bằng vật liệu thay thế trong nước",
        "Phục hồi {part} {equipment} thay cho nhập khẩu tại {site}",
        "Cải tiến quy trình bảo dưỡng {equipment} tại {site}",
    ),
    "management": (
        "Rút ngắn thời gian xử lý {document} tại {site}",
        "Chuẩn hóa {document} theo hướng tinh gọn",
        "Quản lý tồn kho vật tư dự phòng cho {equipment} tại {site}",
        "Tổ chức lại ca kíp vận hành {equipment} tại {site}",
        "Giải pháp tiết kiệm chi phí thuê ngoài bảo dưỡng {equipment}",
    ),
    "occupational_safety": (
        "Giải pháp phòng ngừa {hazard} khi bảo dưỡng {equipment} tại {site}",
        "Cảnh báo sớm {hazard} tại {site}",
        "Thiết bị che chắn an toàn cho {equipment} tại {site}",
        "Huấn luyện ứng phó sự cố {hazard} bằng mô hình thực tế tại {site}",
    ),
    "environment": (
        "Giảm lượng {waste} phát sinh từ {equipment} tại {site}",
        "Tận dụng {waste} tại {site}",
        "Thu hồi nhiệt thải của {equipment} tại {site}",
        "Xử lý {waste} bằng công nghệ đơn giản tại {site}",
    ),
    "digital_transformation": (
        "Số hóa {document} tại {site}",
        "Ứng dụng theo dõi trực tuyến tình trạng {equipment} tại {site}",
        "Phần mềm lập {document} tự động",
        "Giám sát rung động {equipment} từ xa qua mạng không dây tại {site}",
        "Ứng dụng di động ghi nhận tuần tra {equipment} tại {site}",
    ),
    "other": (
        "Mô hình câu lạc bộ sáng tạo trẻ tại {site}",
        "Tổ chức phong trào tiết kiệm trong đoàn viên tại {site}",
        "Mô hình chăm lo đời sống người lao động làm việc xa bờ tại {site}",
    ),
}
PROBLEMS: dict[str, Sequence[str]] = {
    "technical": (
        "{Part} của {equipment} hỏng định kỳ, phải dừng thiết bị và nhập phụ tùng thay thế, "
        "chi phí lớn và kéo dài thời gian sửa chữa.",
        "{Equipment} vận hành non tải nhiều giờ trong ngày, tiêu hao điện năng và nhiên liệu "
        "cao hơn định mức.",
    ),
    "management": (
        "{Document} làm thủ công qua nhiều bước, mất nhiều ngày mới hoàn tất và hay sai sót.",
        "Vật tư dự phòng cho {equipment} tồn kho lớn trong khi có lúc lại thiếu khi cần.",
    ),
    "occupational_safety": (
        "Nguy cơ {hazard} khi làm việc với {equipment}, đã có sự cố suýt xảy ra tai nạn.",
    ),
    "environment": ("{Waste} phát sinh từ {equipment} phải thuê xử lý, chi phí cao.",),
    "digital_transformation": (
        "{Document} ghi chép trên giấy, khó tổng hợp, dễ thất lạc và chậm báo cáo.",
        "Tình trạng {equipment} chỉ được biết khi kiểm tra tại chỗ theo ca.",
    ),
    "other": ("Đoàn viên làm việc theo ca dài ngày, ít có điều kiện sinh hoạt chung.",),
}
SOLUTIONS: dict[str, Sequence[str]] = {
    "technical": (
        "Thiết kế lại {part}, chế tạo trong nước và thay đổi chế độ vận hành theo tải thực tế; "
        "đã áp dụng thử ba tháng với kết quả tốt.",
        "Lắp thêm bộ điều khiển tự động theo lưu lượng, lập biểu đồ phụ tải và hướng dẫn vận "
        "hành mới cho các ca.",
    ),
    "management": (
        "Lập quy trình mới gộp các bước trùng lặp, giao một đầu mối và theo dõi bằng bảng "
        "tính dùng chung.",
    ),
    "occupational_safety": (
        "Lắp cảm biến và đèn còi cảnh báo, bổ sung biện pháp che chắn và huấn luyện lại đội "
        "vận hành.",
    ),
    "environment": (
        "Cải tạo hệ thống thu gom, tách và tái sử dụng tại chỗ, giảm lượng phải thuê xử lý.",
    ),
    "digital_transformation": (
        "Xây dựng ứng dụng trên điện thoại và máy tính bảng, dữ liệu đồng bộ về máy chủ của "
        "đơn vị, báo cáo lập tự động.",
    ),
    "other": ("Tổ chức sinh hoạt định kỳ trực tuyến và trực tiếp, gắn với thi đua sáng tạo.",),
}
OTHER_BENEFITS = (
    "Giảm nguy cơ mất an toàn cho người lao động.",
    "Nâng cao năng suất lao động và chất lượng công việc.",
    "Cải thiện điều kiện làm việc của người lao động.",
    "Giảm phát thải ra môi trường.",
)
RETURN_REASONS = (
    "Đề nghị bổ sung số liệu tính toán giá trị làm lợi và xác nhận của đơn vị áp dụng.",
    "Đề nghị bổ sung biên bản áp dụng thử và bản vẽ kỹ thuật của giải pháp.",
    "Đề nghị làm rõ điểm mới so với giải pháp đã áp dụng tại đơn vị trước đây.",
)
REGISTRATION_RETURN_REASONS = (
    "Đề nghị bổ sung nội dung đăng ký cụ thể cho Chương trình 01 triệu sáng kiến.",
    "Đề nghị ghi rõ chỉ tiêu số lượng sáng kiến của đơn vị năm 2022.",
    "Bản đăng ký chưa có cam kết cho phong trào Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh "
    "lao động.",
)
COMPLAINTS = (
    "Đơn khiếu nại về việc chi trả chế độ làm thêm giờ",
    "Đơn đề nghị xem xét lại việc xếp lương sau khi chuyển vị trí công việc",
    "Đơn khiếu nại về chế độ phụ cấp làm việc xa bờ",
    "Đơn tố cáo hành vi thiếu trách nhiệm trong phân công ca kíp",
    "Đơn đề nghị giải quyết chế độ bảo hiểm tai nạn lao động",
)


def blanks(rng: Random, affiliated: str) -> dict[str, str]:
    """One initiative's objects, so that its title, problem and solution speak of the same
    equipment at the same site; a capitalised blank ({Part}) starts a sentence."""
    values = {
        "site": rng.choice(SITES[affiliated]),
        "equipment": rng.choice(EQUIPMENT),
        "part": rng.choice(PARTS),
        "document": rng.choice(DOCUMENTS),
        "hazard": rng.choice(HAZARDS),
        "waste": rng.choice(WASTE),
    }
    return values | {k.capitalize(): v[:1].upper() + v[1:] for k, v in values.items()}
