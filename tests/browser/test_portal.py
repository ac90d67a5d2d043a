"""The portal in a real browser, as a unit officer uses it: submitting, registering,
reporting, importing, with the services' own refusals shown by their fields.

The system is real (tests/browser/portal_system.py): the four services as processes on
PostgreSQL and Kafka, the portal as a process calling them over HTTP; Debian's Chromium,
headless, through Playwright's sync API.
"""

import csv
import io
import re

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.portal_steps import fill_initiative_form, open_from_menu, sign_in, snap
from tests.browser.portal_system import PortalSystem

# What an officer types (amounts and dates as written in Vietnam).
BENEFIT_TYPED = "1.200.000.000"
BENEFIT_SHOWN = "1.200.000.000 ₫"
FIRST_APPLIED = "05/04/2022"
SHARES_ERROR_VI = "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%, hiện là 90%"
SHARES_ERROR_EN = "Authors' contribution shares must sum to 100%, got 90%"


def fill_initiative(page: Page, title: str, shares: tuple[int, int]) -> None:
    fill_initiative_form(
        page,
        title,
        "PVGAS",
        "Khí đồng hành tại giàn nén bị đốt bỏ, gây lãng phí và ô nhiễm.",
        "Lắp cụm máy nén nhỏ thu hồi khí đưa vào đường ống chung.",
        [("PVGAS-0012", "Nguyễn Văn An", shares[0]), ("PVGAS-0013", "Trần Thị Bình", shares[1])],
    )
    page.locator("#novelty").fill("Lần đầu áp dụng cụm máy nén di động tại đơn vị.")
    page.locator("#first_applied_on").fill(FIRST_APPLIED)
    page.locator("#expected_benefit_vnd").fill(BENEFIT_TYPED)


def new_initiative(page: Page, title: str, shares: tuple[int, int]) -> None:
    """The officer of PVGAS's initiative form, filled in and not yet sent."""
    sign_in(page, "officer-pvgas")
    page.goto("/portal/sang-kien/moi")
    fill_initiative(page, title, shares)


def submit_initiative(page: Page, label: str = "Nộp sáng kiến") -> None:
    page.get_by_role("button", name=label, exact=True).click()


def test_officer_submits_an_initiative_and_finds_it_in_the_list(
    page: Page, system: PortalSystem
) -> None:
    sign_in(page, "officer-pvgas")
    home = page.locator("main")
    expect(home).to_contain_text("Đoàn kết, sáng tạo, nỗ lực vượt khó phát triển")
    expect(home).to_contain_text("Công đoàn Tổng công ty Khí Việt Nam")
    expect(home).to_contain_text("30/06/2022")  # phase 1 ends, as dd/mm/yyyy
    expect(home.get_by_text("Đang mở")).to_be_visible()
    snap(page, "trang-chu")

    page.get_by_role("link", name="Nộp sáng kiến").click()
    title = "Thu hồi khí đồng hành tại giàn nén trung tâm"
    fill_initiative(page, title, (70, 30))
    page.locator("#confidential").check()
    snap(page, "nop-sang-kien")
    submit_initiative(page)

    expect(page).to_have_url(re.compile(r"/portal/sang-kien$"))
    expect(page.get_by_role("status")).to_contain_text(f"Đã nộp sáng kiến “{title}”")
    row = page.locator("#initiatives tbody tr", has_text=title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(BENEFIT_SHOWN)
    expect(row).to_contain_text("Kỹ thuật")
    expect(row).to_contain_text("Nguyễn Văn An (70%)")
    expect(row).to_contain_text("Trần Thị Bình (30%)")
    expect(row).to_contain_text("Bảo mật")
    snap(page, "danh-sach-sang-kien")
    row.get_by_role("link", name=title).click()
    expect(page.locator("#initiative-state")).to_contain_text(FIRST_APPLIED)
    expect(page.locator("#initiative-state")).to_contain_text("Đã nộp")
    page.go_back()
    with system.api("submissions", "officer-pvgas") as submissions:
        stored = submissions.get("/api/v1/initiatives", params={"unit_code": "PVGAS"}).json()
    [ours] = [i for i in stored["items"] if i["title"] == title]
    assert ours["expected_benefit_vnd"] == 1_200_000_000 and ours["confidential"] is True

    # Filters: by unit (none of this title elsewhere) and by status.
    page.locator("#filter-unit").select_option("PVGAS-KCM")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#initiatives tbody tr", has_text=title)).to_have_count(0)
    page.locator("#filter-unit").select_option("PVGAS")
    page.locator("#filter-status").select_option("submitted")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#initiatives tbody tr", has_text=title)).to_have_count(1)


def test_the_same_form_sent_twice_creates_one_initiative(page: Page) -> None:
    title = "Tối ưu lịch bảo dưỡng máy nén khí"
    new_initiative(page, title, (50, 50))
    # A double submit: the form, with the Idempotency-Key made when it was shown, twice.
    statuses = page.evaluate(
        """async () => {
            const form = document.getElementById('initiative-form');
            const data = new FormData(form);
            data.set('_action', 'submit');
            const statuses = [];
            for (let i = 0; i < 2; i++) {
                const answer = await fetch(form.action, {
                    method: 'POST', body: new URLSearchParams(data), redirect: 'manual'});
                statuses.push(answer.type);
            }
            return statuses;
        }"""
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]  # both answered with a redirect
    page.goto("/portal/sang-kien?unit=PVGAS")
    expect(page.locator("#initiatives tbody tr", has_text=title)).to_have_count(1)


def test_refused_initiative_shows_the_error_by_its_field_in_both_languages(page: Page) -> None:
    title = "Sáng kiến có tỷ lệ đóng góp sai"
    new_initiative(page, title, (60, 30))
    submit_initiative(page)

    authors_error = page.locator("#authors-error")
    expect(authors_error).to_contain_text(SHARES_ERROR_VI)
    expect(page.locator("#authors")).to_have_attribute(
        "aria-describedby", re.compile(r"\bauthors-error\b")
    )
    expect(page.get_by_role("alert")).to_contain_text(SHARES_ERROR_VI)  # the summary
    # What was typed is still there.
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#authors-0-share_percent")).to_have_value("60")
    expect(page.locator("#authors-1-full_name")).to_have_value("Trần Thị Bình")
    expect(page.locator("#expected_benefit_vnd")).to_have_value(BENEFIT_TYPED)
    expect(page.locator("#first_applied_on")).to_have_value(FIRST_APPLIED)
    expect(page.locator("#field")).to_have_value("technical")
    snap(page, "loi-ty-le")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(authors_error).to_contain_text(SHARES_ERROR_EN)
    expect(page.locator("#title")).to_have_value(title)
    expect(page.get_by_role("button", name="Submit the initiative")).to_be_visible()
    snap(page, "shares-error-en")

    # Still in English: a date the portal cannot read is refused with its own words.
    page.locator("#authors-1-share_percent").fill("40")
    page.locator("#first_applied_on").fill("31/02/2022")
    submit_initiative(page, "Submit the initiative")
    expect(page.locator("#first_applied_on-error")).to_contain_text(
        "Not a valid date: write it as dd/mm/yyyy"
    )
    expect(page.locator("#first_applied_on")).to_have_attribute("aria-invalid", "true")
    expect(authors_error).to_have_count(0)

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("#first_applied_on-error")).to_contain_text("Ngày không hợp lệ")


def test_unit_registers_for_a_movement_and_the_federation_approves(
    page: Page, system: PortalSystem
) -> None:
    open_from_menu(page, "officer-pvgas", "Đăng ký thi đua")
    expect(page.locator("#phase_code")).to_have_value("dot-1")
    expect(page.locator("#unit_code")).to_have_value("PVGAS")

    # Nothing ticked: the API's error, by the movements.
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#movements-error")).to_contain_text("Cần ít nhất 1 phần tử")

    page.get_by_label("Lao động giỏi, lao động sáng tạo", exact=True).check()
    page.locator("#commitment-lao-dong-gioi-sang-tao").fill(
        "100% đoàn viên đăng ký ít nhất một sáng kiến trong năm 2022."
    )
    page.get_by_role("button", name="Lưu và gửi").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã gửi bản đăng ký của PVGAS")
    row = page.locator("#registration-PVGAS-dot-1")
    expect(row).to_contain_text("Đã gửi")
    expect(row).to_contain_text("Lao động giỏi, lao động sáng tạo")
    expect(row.get_by_role("button", name="Duyệt")).to_have_count(0)  # not its own
    snap(page, "dang-ky")

    page.get_by_role("button", name="Đăng xuất").click()
    sign_in(page, "admin")
    page.goto("/portal/dang-ky")
    row.get_by_role("button", name="Duyệt").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã duyệt bản đăng ký của PVGAS")
    expect(row).to_contain_text("Đã duyệt")
    snap(page, "dang-ky-da-duyet")
    with system.api("submissions", "officer-pvgas") as submissions:
        listing = submissions.get("/api/v1/registrations", params={"under": "PVGAS"}).json()
    ours = [r for r in listing["items"] if r["unit_code"] == "PVGAS" and r["phase_code"] == "dot-1"]
    assert [r["status"] for r in ours] == ["approved"]


def test_unit_files_a_late_results_report(page: Page) -> None:
    sign_in(page, "officer-pvgas")
    page.goto("/portal/bao-cao")
    page.get_by_label("Kết quả").check()
    page.locator("#figure-activities-implemented").fill("100")
    page.locator("#figure-assigned-targets-met").fill("92,5")
    page.locator("#summary").fill("Đơn vị đã triển khai đầy đủ các hoạt động trong đợt 1 năm 2022.")
    page.get_by_label("Ngày nộp").fill("20/07/2022")  # a paper report, keyed in later
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã nộp báo cáo kết quả của PVGAS")
    expect(page.locator(".flash-warning")).to_contain_text("Nộp muộn: hạn nộp là ngày 10/07/2022")
    expect(page.locator("#reports")).to_contain_text("Nộp muộn")
    expect(page.locator("#reports")).to_contain_text("20/07/2022")
    snap(page, "bao-cao")

    page.goto("/portal/bao-cao?lang=en")
    expect(page.locator("#reports")).to_contain_text("Filed late")
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    page.goto("/portal?lang=vi")


def test_units_spreadsheet_errors_are_listed_row_by_row(page: Page) -> None:
    open_from_menu(page, "officer-pvgas", "Nhập từ tệp")
    template = page.get_by_role("link", name="Tải tệp mẫu (XLSX)").first
    expect(template).to_have_attribute("href", "/portal/nhap-tep/don-vi/mau.xlsx")
    with page.expect_download() as download:
        template.click()  # fetched from submissions as the officer, handed on by the portal
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = (
        "code,name,parent_code,level,cluster\n"
        "PVGAS-THU,Công đoàn Ban Thử nghiệm,PVGAS,grassroots,\n"
        "PVGAS-LOI,Công đoàn Ban Lỗi,KHONG-CO,grassroots,\n"
    ).encode()
    upload: FilePayload = {"name": "don-vi.csv", "mimeType": "text/csv", "buffer": sheet}

    page.locator("#file-don-vi").set_input_files(upload)
    page.locator("#import-don-vi").get_by_role("button", name="Tải lên và nhập").click()
    expect(page.get_by_role("alert").first).to_contain_text("chưa lưu dòng nào")
    errors = page.locator("#row-errors-don-vi tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").first).to_have_text("3")
    snap(page, "nhap-tep")

    page.locator("#file-don-vi").set_input_files(upload)
    page.locator("#keep-don-vi").check()
    page.locator("#import-don-vi").get_by_role("button", name="Tải lên và nhập").click()
    expect(page.locator(".flash-success")).to_contain_text("Thêm mới 1")
    expect(page.locator("#row-errors-don-vi tbody tr")).to_have_count(1)

    # The initiatives sheet.
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["Tên sáng kiến", "Mã đơn vị", "Lĩnh vực", "Thực trạng", "Giải pháp", "Tác giả"]
    )
    problem, solution = "Tiêu hao điện năng của trạm bơm cao.", "Lắp biến tần cho các bơm chính."
    for title, authors in (
        ("Biến tần cho trạm bơm nước làm mát", "PVGAS-0012: Nguyễn Văn An: 100%"),
        ("Sáng kiến nhập có tỷ lệ sai", "PVGAS-0012: Nguyễn Văn An: 60%; PVGAS-0013: Bình: 30%"),
    ):
        writer.writerow([title, "PVGAS", "technical", problem, solution, authors])
    initiatives: FilePayload = {
        "name": "sang-kien.csv",
        "mimeType": "text/csv",
        "buffer": rows.getvalue().encode(),
    }
    page.locator("#file-sang-kien").set_input_files(initiatives)
    page.locator("#keep-sang-kien").check()
    page.locator("#import-sang-kien").get_by_role("button", name="Tải lên và nhập").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã nhập 1 sáng kiến")
    refused = page.locator("#row-errors-sang-kien tbody tr")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Tổng tỷ lệ đóng góp của các tác giả phải bằng 100%")
    snap(page, "nhap-tep-sang-kien")
