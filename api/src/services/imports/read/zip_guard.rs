//! An XLSX file is a zip archive, and a zip's headers are claims: a member may say 1 KB and inflate
//! to 1 GB. Before the workbook reader opens anything, every member is inflated once here and its
//! bytes counted as they come out, against the total and per-member limits and the compression
//! ratio; symlinks, encrypted members and names leaving the archive are refused; and the XML is
//! measured between tags, so that no text node (a cell, a shared string) the reader will buffer
//! is longer than the cell limit allows. The reader that follows inflates the same bytes, so it
//! meets only what was counted here.

use super::{Code, Limits, RATIO_FLOOR, Refusal};
use std::io::Read;

/// Bytes an XML tag or attribute list may add around a cell's text before it is suspicious.
const TAG_SLACK: usize = 64 * 1024;

/// Central-directory headers can be counted before the archive is parsed: the zip reader keeps
/// one record per entry, so their number is checked first.
const CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";

pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    // Not a zip: an .xls, a password-protected workbook (an OLE file), or anything else.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Refusal::plain(Code::Unreadable));
    }
    let headers = memchr::memmem::find_iter(bytes, CENTRAL_HEADER).count();
    if headers > limits.max_zip_entries {
        return Err(too_many(limits));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| Refusal::plain(Code::Unreadable))?;
    if archive.len() > limits.max_zip_entries {
        return Err(too_many(limits));
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let member = archive.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(_) => Refusal::plain(Code::OddMember),
            _ => Refusal::plain(Code::Unreadable),
        })?;
        let compressed = member.compressed_size().clamp(1, bytes.len() as u64);
        inflate(member, compressed, limits, &mut total, &mut buf)?;
    }
    Ok(())
}

/// Inflates one member of `compressed` bytes into `buf` chunk by chunk, adding what comes out to
/// the archive's `total`, and refuses it at the first limit it crosses.
fn inflate<R: Read>(
    mut member: zip::read::ZipFile<'_, R>,
    compressed: u64,
    limits: &Limits,
    total: &mut u64,
    buf: &mut [u8],
) -> Result<(), Refusal> {
    if member.is_symlink() || member.encrypted() || member.enclosed_name().is_none() {
        return Err(Refusal::plain(Code::OddMember));
    }
    let name = member
        .name()
        .map_err(|_| Refusal::plain(Code::OddMember))?
        .to_ascii_lowercase();
    let streamed = is_worksheet(&name);
    let xml = name.ends_with(".xml") || name.ends_with(".rels");
    let longest = limits.max_cell_chars.saturating_mul(4) + TAG_SLACK;
    let mut out: u64 = 0;
    // Bytes since the last '<': the longest stretch bounds every text node and every tag.
    let mut since_tag: usize = 0;
    let mut head = Vec::new();
    loop {
        let n = match member.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => return Err(Refusal::plain(Code::Unreadable)),
        };
        out += n as u64;
        *total += n as u64;
        let over = |code, limit| Err(Refusal::limit(code, 0, "", &name, limit));
        if *total > limits.max_inflated_bytes {
            return over(Code::InflatesTooMuch, limits.max_inflated_bytes);
        }
        if !streamed && out > limits.max_shared_bytes {
            return over(Code::MemberTooLarge, limits.max_shared_bytes);
        }
        if out > RATIO_FLOOR && out / compressed > limits.max_ratio {
            return over(Code::CompressionRatio, limits.max_ratio);
        }
        if xml {
            since_tag = since_last_tag(&buf[..n], since_tag, longest);
            if since_tag > longest {
                return over(Code::CellTooLong, limits.max_cell_chars as u64);
            }
        }
        if head.len() < 4096 {
            head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
        }
    }
    if name.ends_with("sharedstrings.xml") {
        check_string_count(&head, out)?;
    }
    Ok(())
}

/// The bytes since the last `<` after `chunk`, `since_tag` of them having come before it; past
/// `longest` the count stops being exact (it is refused anyway).
fn since_last_tag(chunk: &[u8], mut since_tag: usize, longest: usize) -> usize {
    let mut last = 0;
    for at in memchr::memchr_iter(b'<', chunk) {
        since_tag += at - last;
        if since_tag > longest {
            return since_tag;
        }
        since_tag = 0;
        last = at + 1;
    }
    since_tag + (chunk.len() - last)
}

fn too_many(limits: &Limits) -> Refusal {
    Refusal::limit(
        Code::TooManyEntries,
        0,
        "",
        "",
        limits.max_zip_entries as u64,
    )
}

/// Worksheets are read as a stream; every other member is held whole by the workbook reader.
fn is_worksheet(lowercase_name: &str) -> bool {
    let (dir, file) = lowercase_name
        .rsplit_once('/')
        .unwrap_or(("", lowercase_name));
    (dir == "worksheets" || dir.ends_with("/worksheets"))
        && file.ends_with(".xml")
        && !matches!(file, "sharedstrings.xml" | "styles.xml" | "workbook.xml")
}

/// The shared-string table announces its size (`uniqueCount`) and the workbook reader reserves
/// room for that many strings up front: a count the member's own bytes cannot hold (each string
/// takes at least `<si><t/></si>`, 12 bytes) is a lie, and refused before the reader believes it.
fn check_string_count(head: &[u8], member_bytes: u64) -> Result<(), Refusal> {
    let text = String::from_utf8_lossy(head);
    let attr = "uniqueCount=\"";
    let Some(at) = text.find(attr) else {
        return Ok(());
    };
    let digits: String = text[at + attr.len()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    // Digits too many for a u64 are a count no member holds.
    let claimed = match digits.parse::<u64>() {
        Ok(n) => n,
        Err(_) if digits.is_empty() => 0,
        Err(_) => u64::MAX,
    };
    if claimed > member_bytes / 12 + 1 {
        return Err(Refusal::plain(Code::Unreadable));
    }
    Ok(())
}
