//! Loaders for the public labelled data the model is trained and evaluated on.
//!
//! Every text is cleaned the same way on load (byte-order marks dropped, tabs and line breaks turned
//! into spaces), so the split files written for scikit-learn hold exactly the texts Rapport trains on.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;

/// Where a labelled text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// UCI YouTube spam: comments on Psy's "Gangnam Style".
    YoutubePsy,
    /// UCI YouTube spam: comments on Katy Perry's "Roar".
    YoutubeKatyPerry,
    /// UCI YouTube spam: comments on LMFAO's "Party Rock Anthem".
    YoutubeLmfao,
    /// UCI SMS spam collection.
    Sms,
    /// Chakraborty et al. clickbait and news headlines.
    Clickbait,
}

impl Source {
    /// Every source, in load order.
    pub const ALL: [Source; 5] = [
        Source::YoutubePsy,
        Source::YoutubeKatyPerry,
        Source::YoutubeLmfao,
        Source::Sms,
        Source::Clickbait,
    ];

    /// The stable lower-case name used in split names and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::YoutubePsy => "youtube-psy",
            Source::YoutubeKatyPerry => "youtube-katyperry",
            Source::YoutubeLmfao => "youtube-lmfao",
            Source::Sms => "sms",
            Source::Clickbait => "clickbait",
        }
    }
}

/// One labelled text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The cleaned text.
    pub text: String,
    /// True for spam (YouTube, SMS) or clickbait (headlines).
    pub positive: bool,
    /// Where it comes from.
    pub source: Source,
}

/// Loads every source from `data_dir` (the folder holding `uci-youtube-spam`, `uci-sms-spam` and
/// `clickbait-headlines-chakraborty`), in a fixed order.
pub fn load(data_dir: &Path) -> Result<Vec<Example>, Error> {
    let mut out = Vec::new();
    let youtube = data_dir.join("uci-youtube-spam");
    for (source, file) in [
        (Source::YoutubePsy, "Youtube01-Psy.csv"),
        (Source::YoutubeKatyPerry, "Youtube02-KatyPerry.csv"),
        (Source::YoutubeLmfao, "Youtube03-LMFAO.csv"),
    ] {
        load_youtube(&youtube.join(file), source, &mut out)?;
    }
    load_sms(&data_dir.join("uci-sms-spam/SMSSpamCollection"), &mut out)?;
    let clickbait = data_dir.join("clickbait-headlines-chakraborty");
    load_headlines(&clickbait.join("clickbait_data.gz"), true, &mut out)?;
    load_headlines(&clickbait.join("non_clickbait_data.gz"), false, &mut out)?;
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

fn malformed(path: &Path, record: usize, message: impl Into<String>) -> Error {
    Error::Data { path: PathBuf::from(path), record, message: message.into() }
}

fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\u{feff}')
        .map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn load_youtube(path: &Path, source: Source, out: &mut Vec<Example>) -> Result<(), Error> {
    let bytes = read(path)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers().map_err(|e| malformed(path, 0, e.to_string()))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(path, 0, format!("no {name} column")))
    };
    let (content, class) = (column("CONTENT")?, column("CLASS")?);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| malformed(path, i + 1, e.to_string()))?;
        let positive = match record.get(class) {
            Some("1") => true,
            Some("0") => false,
            other => {
                return Err(malformed(path, i + 1, format!("CLASS is {other:?}, expected 0 or 1")));
            }
        };
        let text = clean(record.get(content).unwrap_or_default());
        out.push(Example { text, positive, source });
    }
    Ok(())
}

fn load_sms(path: &Path, out: &mut Vec<Example>) -> Result<(), Error> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes).map_err(|_| malformed(path, 0, "not UTF-8"))?;
    for (i, line) in text.lines().enumerate() {
        let positive = match line.split_once('\t') {
            Some(("spam", _)) => true,
            Some(("ham", _)) => false,
            _ => {
                return Err(malformed(
                    path,
                    i + 1,
                    "expected `ham` or `spam`, a tab, then the text",
                ));
            }
        };
        let message = line.split_once('\t').map_or("", |(_, m)| m);
        out.push(Example { text: clean(message), positive, source: Source::Sms });
    }
    Ok(())
}

fn load_headlines(path: &Path, positive: bool, out: &mut Vec<Example>) -> Result<(), Error> {
    let bytes = read(path)?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .map_err(|e| malformed(path, 0, format!("not gzip-compressed UTF-8 text: {e}")))?;
    for line in text.lines() {
        let line = clean(line);
        if !line.is_empty() {
            out.push(Example { text: line, positive, source: Source::Clickbait });
        }
    }
    Ok(())
}
