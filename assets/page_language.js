// <PageLanguage lang={code}/>: the page's <html lang> follows the language shown, so screen readers
// read Finnish text as Finnish (the prerendered page says "en"); draws nothing.
import { useEffect } from "react";

export function PageLanguage({ lang }) {
  useEffect(() => {
    if (lang) document.documentElement.lang = lang;
  }, [lang]);
  return null;
}
