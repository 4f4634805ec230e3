//! Metadata taken out of an image without touching its pixels: the EXIF (with any
//! GPS position), XMP, IPTC and comments of a JPEG, the text, time and EXIF chunks
//! of a PNG. An upright original is written this way, at its full quality; what
//! does not parse as expected is decoded and encoded again instead (`None`).

/// The JPEG `bytes` without APP1 to APP13, APP15 and comment segments: APP0
/// (JFIF) and APP14 (Adobe, which says how the colours are stored) stay, as does
/// APP2 (the ICC colour profile, which changes how the image looks).
pub(crate) fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..2).filter(|soi| *soi == [0xff, 0xd8])?);
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1).filter(|_| bytes.get(at) == Some(&0xff))?;
        // Start of scan: the entropy-coded data and the rest are kept as they are.
        if marker == 0xda {
            out.extend_from_slice(&bytes[at..]);
            return Some(out);
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let end = at + 2 + len;
        let segment = bytes.get(at..end).filter(|_| len >= 2)?;
        let metadata = matches!(marker, 0xe1 | 0xe3..=0xed | 0xef | 0xfe);
        if !metadata {
            out.extend_from_slice(segment);
        }
        at = end;
    }
}

/// The PNG `bytes` without `eXIf`, `tEXt`, `zTXt`, `iTXt` and `tIME` chunks.
pub(crate) fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..8).filter(|s| *s == SIGNATURE)?);
    let mut at = 8;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(at + 4..at + 8)?;
        // Length, type, data, CRC.
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(at..end)?;
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_loses_its_exif_and_keeps_its_scan() {
        let exif = [0xff, 0xe1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0];
        let app0 = [0xff, 0xe0, 0x00, 0x04, 1, 2];
        let scan = [0xff, 0xda, 0x00, 0x02, 9, 9, 0xff, 0xd9];
        let bytes = [&[0xff, 0xd8][..], &app0, &exif, &scan].concat();
        let out = jpeg(&bytes).unwrap();
        assert_eq!(out, [&[0xff, 0xd8][..], &app0, &scan].concat());
        assert!(jpeg(&bytes[..5]).is_none());
    }

    #[test]
    fn a_png_loses_its_text_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let head = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = chunk(b"IHDR", &[0; 13]);
        let text = chunk(b"tEXt", b"GPS\0here");
        let end = chunk(b"IEND", b"");
        let bytes = [head.clone(), ihdr.clone(), text, end.clone()].concat();
        assert_eq!(png(&bytes).unwrap(), [head, ihdr, end].concat());
        assert!(png(&bytes[..20]).is_none());
    }
}
