"""Đăng nhập, đăng xuất."""

WORDS: dict[str, tuple[str, str]] = {
    "signin.title": ("Đăng nhập", "Sign in"),
    "signin.dev_only": (
        "Chỉ dùng khi phát triển: cổng tự cấp mã đăng nhập (token) cho người dùng mẫu, ký bằng "
        "khóa phát triển công khai. Khi triển khai thật, cán bộ đăng nhập qua hệ thống xác thực "
        "(OIDC) của Tập đoàn.",
        "Development only: the portal mints a sign-in token for a demo user, signed with the "
        "public development key. In a real deployment officers sign in with the group's identity "
        "provider (OIDC).",
    ),
    "signin.choose": ("Chọn người dùng mẫu", "Choose a demo user"),
    "signin.expired": (
        "Phiên đăng nhập đã hết hạn hoặc không hợp lệ, vui lòng đăng nhập lại.",
        "Your session has expired or is not valid; please sign in again.",
    ),
    "signin.signed_out": ("Đã đăng xuất.", "You have signed out."),
    "signin.with_token": ("Đăng nhập bằng mã truy cập", "Sign in with an access token"),
    "signin.token": ("Mã truy cập (token)", "Access token"),
    "signin.token_hint": (
        "Mã do hệ thống xác thực của Tập đoàn cấp cho bạn (JWT).",
        "The token the group's identity provider issued to you (a JWT).",
    ),
    "signin.bad_token": (
        "Mã truy cập không hợp lệ hoặc đã hết hạn",
        "The access token is not valid or has expired",
    ),
    "signin.choose_someone": (
        "Vui lòng chọn một người dùng mẫu hoặc dán mã truy cập",
        "Please choose a demo user or paste an access token",
    ),
}
